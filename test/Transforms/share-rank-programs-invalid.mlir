// RUN: hetu-opt %s -split-input-file -hetu-share-rank-programs -verify-diagnostics

// A detached rank function whose shared body is missing.
// expected-error @+1 {{'hetu.role' names no function that takes this function's arguments and 'hetu.role_params'}}
func.func private @f__rank0(memref<4xf32>) attributes {hetu.rank = 0 : i64, hetu.function = "f", hetu.role = @f__role0, hetu.role_params = [1]}

// -----

// One parameter too many.
func.func private @f__role0(%x: memref<4xf32>, %peer: i64) {
  return
}
// expected-error @+1 {{'hetu.role' names no function that takes this function's arguments and 'hetu.role_params'}}
func.func private @f__rank0(memref<4xf32>) attributes {hetu.rank = 0 : i64, hetu.function = "f", hetu.role = @f__role0, hetu.role_params = [1, 2]}

// -----

// A parameter of the wrong kind (a table where the body takes a peer).
func.func private @f__role0(%x: memref<4xf32>, %peer: i64) {
  return
}
// expected-error @+1 {{'hetu.role_params' entry @group does not match the argument of type 'i64' of @f__role0}}
func.func private @f__rank0(memref<4xf32>) attributes {hetu.rank = 0 : i64, hetu.function = "f", hetu.role = @f__role0, hetu.role_params = [@group]}
