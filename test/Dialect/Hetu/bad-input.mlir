// Bad input is a diagnostic with its location and exit status 1, never a crash.
// RUN: not hetu-opt %s 2>&1 | FileCheck %s
// RUN: hetu-opt %s; test $? -eq 1

// CHECK: bad-input.mlir:[[@LINE+1]]:40: error: invalid device 'xpu:0': expected [host:](cpu|gpu):index
module attributes {test.g = #hetu.group<"gpu:0,xpu:0">} {}
