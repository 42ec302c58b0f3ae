// RUN: hetu-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{invalid device 'xpu:0': expected [host:](cpu|gpu):index}}
module attributes {test.a = {d = #hetu.device<"xpu:0">}} {}

// -----

// expected-error @+1 {{invalid device 'gpu': expected [host:](cpu|gpu):index}}
module attributes {test.a = {d = #hetu.device<"gpu">}} {}

// -----

// expected-error @+1 {{invalid device 'gpu:': missing index}}
module attributes {test.a = {d = #hetu.device<"gpu:">}} {}

// -----

// expected-error @+1 {{invalid device 'gpu:one': index 'one' is not a number}}
module attributes {test.a = {d = #hetu.device<"gpu:one">}} {}

// -----

// expected-error @+1 {{invalid device 'gpu:-2': negative index -2}}
module attributes {test.a = {d = #hetu.device<"gpu:-2">}} {}

// -----

// A host with a carriage return (found by hetu-attr-fuzzer: it failed an
// assertion instead).
// expected-error @+1 {{the host name contains a separator or white space}}
module attributes {test.a = {d = #hetu.device<"node\0D1:gpu:0">}} {}

// -----

// A control character in a host name printed raw, which did not parse back
// (found by hetu-attr-fuzzer's round trip).
// expected-error @+1 {{the host name contains a character that is not printable ASCII}}
module attributes {test.a = {d = #hetu.group<"no\06de:gpu:0">}} {}

// -----

// expected-error @+1 {{invalid device ':gpu:0': empty host name}}
module attributes {test.a = {d = #hetu.device<":gpu:0">}} {}

// -----

// expected-error @+1 {{invalid device 'xpu:1': expected [host:](cpu|gpu):index}}
module attributes {test.a = {g = #hetu.group<"gpu:0,xpu:1">}} {}

// -----

// expected-error @+1 {{invalid device 'gpu:x': index 'x' is not a number}}
module attributes {test.a = {g = #hetu.group<"(gpu:0,gpu:x)">}} {}

// -----

// expected-error @+1 {{invalid device 'gpu:-1': negative index -1}}
module attributes {test.a = {g = #hetu.group<"gpu:0 gpu:-1">}} {}

// -----

// expected-error @+1 {{unbalanced '(' in group 'gpu:0,(gpu:1,gpu:2': missing ')'}}
module attributes {test.a = {g = #hetu.group<"gpu:0,(gpu:1,gpu:2">}} {}

// -----

// expected-error @+1 {{unbalanced ')' in group 'gpu:0,gpu:1)'}}
module attributes {test.a = {g = #hetu.group<"gpu:0,gpu:1)">}} {}

// -----

// expected-error @+1 {{nested '(' in group '((gpu:0,gpu:1))': a tuple holds devices only}}
module attributes {test.a = {g = #hetu.group<"((gpu:0,gpu:1))">}} {}

// -----

// expected-error @+1 {{empty device group ''}}
module attributes {test.a = {g = #hetu.group<"">}} {}

// -----

// expected-error @+1 {{empty device group ' ,; '}}
module attributes {test.a = {g = #hetu.group<" ,; ">}} {}

// -----

// expected-error @+1 {{empty tuple '()' in group 'gpu:0;()'}}
module attributes {test.a = {g = #hetu.group<"gpu:0;()">}} {}

// -----

// expected-error @+1 {{device 'gpu:1' is listed twice in group 'gpu:1,(gpu:2,gpu:1)'}}
module attributes {test.a = {g = #hetu.group<"gpu:1,(gpu:2,gpu:1)">}} {}

// -----

// expected-error @+1 {{device 'localhost:gpu:0' is listed twice in group 'gpu:0,localhost:gpu:0'}}
module attributes {test.a = {g = #hetu.group<"gpu:0,localhost:gpu:0">}} {}

// -----

// expected-error @+1 {{split count of dimension 1 must be >= 1, got 0}}
module attributes {test.a = {s = #hetu.states<[2, 0]>}} {}

// -----

// expected-error @+1 {{duplicate must be >= 1, got 0}}
module attributes {test.a = {s = #hetu.states<[2, 1], duplicate = 0>}} {}

// -----

// expected-error @+1 {{partial must be >= 1, got -1}}
module attributes {test.a = {s = #hetu.states<[2, 1], partial = -1>}} {}

// -----

// expected-error @+1 {{order [0] must list each of the 2 dimensions once}}
module attributes {test.a = {s = #hetu.states<[2, 2], order = [0]>}} {}

// -----

// expected-error @+1 {{order [1, 1] must list each of the 2 dimensions once}}
module attributes {test.a = {s = #hetu.states<[2, 2], order = [1, 1]>}} {}

// -----

// expected-error @+1 {{order [0, 1] must list each of the 2 dimensions once, plus -1 (duplicate)}}
module attributes {test.a = {s = #hetu.states<[2, 2], duplicate = 2, order = [0, 1]>}} {}

// -----

// expected-error @+1 {{order [-1, 0, 1] must list each of the 2 dimensions once; -1 / -2 only appear when duplicate / partial > 1}}
module attributes {test.a = {s = #hetu.states<[2, 2], order = [-1, 0, 1]>}} {}

// -----

// expected-error @+1 {{order [-1, 0, 1] must list each of the 2 dimensions once, plus -2 (partial)}}
module attributes {test.a = {s = #hetu.states<[2, 2], partial = 2, order = [-1, 0, 1]>}} {}

// -----

// expected-error @+1 {{unknown states keyword 'dup', expected 'duplicate', 'partial' or 'order'}}
module attributes {test.a = {s = #hetu.states<[2, 2], dup = 2>}} {}

// -----

// expected-error @+1 {{'partial' given twice}}
module attributes {test.a = {s = #hetu.states<[2, 2], partial = 2, partial = 2>}} {}

// -----

// A device count that overflows (found by hetu-attr-fuzzer: undefined
// behaviour in getNumDevices).
// expected-error @+1 {{the states cover more than 2^40 devices (splits x duplicate x partial)}}
module attributes {test.a = {s = #hetu.states<[2123, 2, 2, 155555555555552, 2, 9]>}} {}

// -----

// expected-error @+1 {{'hetu.role' is only valid on functions}}
module attributes {hetu.role = @f__role0} {}

// -----

// expected-error @+1 {{'hetu.role' must be a symbol reference}}
func.func @f__rank0() attributes {hetu.role = "f__role0"} {
  return
}

// -----

// expected-error @+1 {{'hetu.role_params' must be an array of integers and symbol references}}
func.func @f__rank0() attributes {hetu.role = @f__role0, hetu.role_params = [1, 2.0]} {
  return
}

// -----

// expected-error @+1 {{#hetu.slice has 1 offsets for rank-2 states}}
module attributes {test.a = #hetu.slice<index = 0, replica = 0, position = 0, states = #hetu.states<[2, 1]>, offsets = [0]>} {}

// -----

// expected-error @+1 {{#hetu.slice position must be a device's position in its tuple, or -1 for a server's copy; got -2}}
module attributes {test.a = #hetu.slice<index = 0, replica = 0, position = -2, states = #hetu.states<[1]>, offsets = [0]>} {}

// -----

// expected-error @+1 {{#hetu.slice index and replica must be non-negative, got 0 and -1}}
module attributes {test.a = #hetu.slice<index = 0, replica = -1, position = 0, states = #hetu.states<[1]>, offsets = [0]>} {}

// -----

// expected-error @+1 {{#hetu.slice offsets must be non-negative}}
module attributes {test.a = #hetu.slice<index = 0, replica = 0, position = 0, states = #hetu.states<[1]>, offsets = [-4]>} {}

// -----

// expected-error @+1 {{expected 'replica'}}
module attributes {test.a = #hetu.slice<index = 0, position = 0, states = #hetu.states<[1]>, offsets = [0]>} {}

// -----

// expected-error @+1 {{'hetu.slice' on argument 0 must be a #hetu.slice whose states have the rank of its type}}
func.func @f__rank0(%x: tensor<4x4xf32> {hetu.slice = #hetu.slice<index = 0, replica = 0, position = 0, states = #hetu.states<[1]>, offsets = [0]>}) {
  return
}

// -----

// expected-error @+1 {{'hetu.slice' on result 0 must be a #hetu.slice whose states have the rank of its type}}
func.func private @f__rank0() -> (tensor<4xf32> {hetu.slice = {index = 0 : i64, replica = 0 : i64, position = 0 : i64, states = #hetu.states<[1]>, offsets = array<i64: 0>}})

// -----

// expected-error @+1 {{'hetu.strategy' must be #hetu.strategy<ps> or #hetu.strategy<allreduce>}}
%0 = arith.constant {hetu.strategy = #hetu.phase<forward>} 0 : i32

// -----

// A hetu attribute outside an op that captures its trailing type takes none.
// expected-error @+1 {{hetu attributes do not take a type}}
module attributes {test.a = #hetu.slice<index = 0, replica = 0, position = 0, states = #hetu.states<[1]>, offsets = [0]> : i32} {}

// -----

// expected-error @+1 {{hetu attributes do not take a type}}
module attributes {test.a = #hetu.states<[1]> : i32} {}
