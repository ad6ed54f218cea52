# SPDX-License-Identifier: Apache-2.0
# Configures the source tree as if Catch2 and Google Benchmark were not installed
# (CMAKE_DISABLE_FIND_PACKAGE_*): the configure must succeed, and the tests and the benchmarks must each
# say once that they are off. Run by CTest: cmake -DSOURCE=... -DWORK=... [-DGENERATOR=...] -P this file.
foreach(v SOURCE WORK)
  if(NOT ${v})
    message(FATAL_ERROR "pass -D${v}=...")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK})
set(generator)
if(GENERATOR)
  set(generator -G ${GENERATOR})
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${WORK} ${generator}
          -DCMAKE_DISABLE_FIND_PACKAGE_Catch2=ON -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring without Catch2 and Google Benchmark failed (exit ${rc})")
endif()
foreach(what "Catch2 2 not found[^\n]*the tests are off" "Google Benchmark not found[^\n]*the benchmarks are off")
  string(REGEX MATCHALL "symtri: ${what}" found "${out}${err}")
  list(LENGTH found n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "expected the message 'symtri: ${what}' once, got it ${n} times")
  endif()
endforeach()
# No test was generated for the missing Catch2 (the tests' directory added nothing).
set(tests)
if(EXISTS ${WORK}/tests/CTestTestfile.cmake)
  file(STRINGS ${WORK}/tests/CTestTestfile.cmake tests REGEX "add_test|subdirs")
endif()
if(tests)
  message(FATAL_ERROR "the tests were configured without Catch2: ${tests}")
endif()
file(REMOVE_RECURSE ${WORK})
message(STATUS "configures without Catch2 and Google Benchmark: ok")
