# Helpers in the style of CIRCT's AddCIRCT.cmake: MLIR's add_mlir_library
# exports into MLIRTargets, so our libraries opt out and join HetuMLIRTargets.
set_property(GLOBAL PROPERTY HETU_ALL_LIBS "")

# add_hetu_library(name srcs... [DEPENDS ...] [LINK_LIBS PUBLIC hetu-libs...]
#                  [MLIR_LIBS mlir-libs...] [SHARED])
# MLIR libraries go through mlir_target_link_libraries so that everything
# links libMLIR.so, never the static MLIR archives.
function(add_hetu_library name)
  cmake_parse_arguments(ARG "" "" "MLIR_LIBS" ${ARGN})
  add_mlir_library(${name} ${ARG_UNPARSED_ARGUMENTS} DISABLE_INSTALL)
  if(ARG_MLIR_LIBS)
    mlir_target_link_libraries(${name} PUBLIC ${ARG_MLIR_LIBS})
  endif()
  set_property(GLOBAL APPEND PROPERTY HETU_ALL_LIBS ${name})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  # Our headers include MLIR's: embedders need its include directories.
  target_include_directories(${name} SYSTEM PUBLIC
    $<INSTALL_INTERFACE:${MLIR_INCLUDE_DIRS}>
    $<INSTALL_INTERFACE:${LLVM_INCLUDE_DIRS}>)
  install(TARGETS ${name} EXPORT HetuMLIRTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endfunction()

function(add_hetu_tool name)
  add_llvm_executable(${name} ${ARGN})
  install(TARGETS ${name} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endfunction()
