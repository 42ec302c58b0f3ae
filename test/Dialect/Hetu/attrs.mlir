// RUN: hetu-opt %s | FileCheck %s
// Round trip: the printed form parses back to the same attributes.
// RUN: hetu-opt %s | hetu-opt | FileCheck %s

// CHECK-LABEL: module attributes {test.attrs = {
module attributes {test.attrs = {
  // Devices: canonical, lower-case, `localhost:` dropped.
  // CHECK-SAME: d0 = #hetu.device<"gpu:0">
  d0 = #hetu.device<"gpu:0">,
  // CHECK-SAME: d1 = #hetu.device<"gpu:3">
  d1 = #hetu.device<"LOCALHOST:GPU:3">,
  // CHECK-SAME: d2 = #hetu.device<"node1:cpu:2">
  d2 = #hetu.device<"Node1:cpu:2">,

  // Groups: every separator, spaces after separators, tuples.
  // CHECK-SAME: g0 = #hetu.group<"gpu:0,gpu:1">
  g0 = #hetu.group<"gpu:0,gpu:1">,
  // CHECK-SAME: g1 = #hetu.group<"gpu:0,gpu:1,gpu:2">
  g1 = #hetu.group<"gpu:0; gpu:1  gpu:2">,
  // CHECK-SAME: g2 = #hetu.group<"gpu:0,gpu:1">
  g2 = #hetu.group<"gpu:0, gpu:1">,
  // CHECK-SAME: g3 = #hetu.group<"cpu:0,(gpu:1,gpu:2),(gpu:5,gpu:6)">
  g3 = #hetu.group<"cpu:0;(gpu:1,gpu:2);(gpu:5,gpu:6)">,
  // CHECK-SAME: g4 = #hetu.group<"(gpu:3,gpu:2)">
  g4 = #hetu.group<"(gpu:3, gpu:2)">,
  // CHECK-SAME: g5 = #hetu.group<"node1:gpu:0,node2:gpu:0">
  g5 = #hetu.group<"node1:gpu:0 node2:gpu:0">,
  // CHECK-SAME: g6 = #hetu.group<"(gpu:1)">
  g6 = #hetu.group<"(gpu:1)">,

  // States: defaults omitted, default order dropped, keywords in any order.
  // CHECK-SAME: s0 = #hetu.states<[2, 1]>
  s0 = #hetu.states<[2, 1]>,
  // CHECK-SAME: s1 = #hetu.states<[1, 1], duplicate = 2>
  s1 = #hetu.states<[1, 1], duplicate = 2>,
  // CHECK-SAME: s2 = #hetu.states<[1, 1], partial = 2>
  s2 = #hetu.states<[1, 1], partial = 2>,
  // CHECK-SAME: s3 = #hetu.states<[2, 2], order = [1, 0]>
  s3 = #hetu.states<[2, 2], order = [1, 0]>,
  // CHECK-SAME: s4 = #hetu.states<[2, 2]>
  s4 = #hetu.states<[2, 2], order = [0, 1]>,
  // CHECK-SAME: s5 = #hetu.states<[2, 1], duplicate = 2, partial = 3, order = [0, -1, 1, -2]>
  s5 = #hetu.states<[2, 1], order = [0, -1, 1, -2], partial = 3, duplicate = 2>,
  // CHECK-SAME: s6 = #hetu.states<[1, 1]>
  s6 = #hetu.states<[1, 1], duplicate = 1, partial = 1>,
  // CHECK-SAME: s7 = #hetu.states<[]>
  s7 = #hetu.states<[]>,
  // CHECK-SAME: s8 = #hetu.states<[4], duplicate = 2, partial = 2>
  s8 = #hetu.states<[4], partial = 2, duplicate = 2, order = [-2, -1, 0]>,

  // Enumerations; `1f1b` is not a keyword and stays quoted.
  // CHECK-SAME: t0 = #hetu.strategy<allreduce>
  t0 = #hetu.strategy<allreduce>,
  // CHECK-SAME: t1 = #hetu.strategy<ps>
  t1 = #hetu.strategy<"ps">,
  // CHECK-SAME: t2 = #hetu.schedule<gpipe>
  t2 = #hetu.schedule<gpipe>,
  // CHECK-SAME: t3 = #hetu.schedule<"1f1b">
  t3 = #hetu.schedule<"1f1b">,
  // CHECK-SAME: t4 = #hetu.phase<backward>
  t4 = #hetu.phase<backward>,

  // Slices; a server's copy has position -1, a scalar no offsets.
  // CHECK-SAME: u0 = #hetu.slice<index = 1, replica = 0, position = 1, states = #hetu.states<[2, 1]>, offsets = [8, 0]>
  u0 = #hetu.slice<index = 1, replica = 0, position = 1,
                   states = #hetu.states<[2, 1]>, offsets = [8, 0]>,
  // CHECK-SAME: u1 = #hetu.slice<index = 0, replica = 0, position = -1, states = #hetu.states<[1]>, offsets = [0]>
  u1 = #hetu.slice<index = 0, replica = 0, position = -1,
                   states = #hetu.states<[1]>, offsets = [0]>,
  // CHECK-SAME: u2 = #hetu.slice<index = 2, replica = 3, position = 0, states = #hetu.states<[], duplicate = 2>, offsets = []>
  u2 = #hetu.slice<index = 2, replica = 3, position = 0,
                   states = #hetu.states<[], duplicate = 2>, offsets = []>
}} {}

// A host name with a backslash and a quote prints escaped and parses back
// (hetu-attr-fuzzer's round trip found it printed raw).
// CHECK-LABEL: @escaped_host
// CHECK-SAME: #hetu.device<"a\\b\22c:gpu:1">
func.func @escaped_host() attributes {d = #hetu.device<"a\\b\"c:gpu:1">} {
  return
}
