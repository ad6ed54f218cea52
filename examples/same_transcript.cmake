# SPDX-License-Identifier: Apache-2.0
# Runs the C++ and the Python interview on the same scripted answers and checks that they print the same
# transcript, byte for byte: cmake -DINPUT=FILE -DCPP=PROGRAM -DPYTHON=PYTHON3 -DSCRIPT=interview.py
#                                    -DRULES=PATH -P same_transcript.cmake
foreach(v INPUT CPP PYTHON SCRIPT RULES)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "same_transcript.cmake: -D${v}=... is missing")
  endif()
endforeach()
execute_process(COMMAND ${CPP} --rules ${RULES} INPUT_FILE ${INPUT} OUTPUT_VARIABLE cpp_out ERROR_VARIABLE cpp_err
                RESULT_VARIABLE cpp_rc)
execute_process(COMMAND ${PYTHON} ${SCRIPT} --rules ${RULES} INPUT_FILE ${INPUT} OUTPUT_VARIABLE py_out
                ERROR_VARIABLE py_err RESULT_VARIABLE py_rc)
if(NOT cpp_rc STREQUAL py_rc)
  message(FATAL_ERROR "exit codes differ: C++ ${cpp_rc}, Python ${py_rc}\n${cpp_err}\n${py_err}")
endif()
if(NOT cpp_out STREQUAL py_out)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/transcript_cpp.txt "${cpp_out}")
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/transcript_python.txt "${py_out}")
  message(FATAL_ERROR "the transcripts differ: diff ${CMAKE_CURRENT_BINARY_DIR}/transcript_cpp.txt "
                      "${CMAKE_CURRENT_BINARY_DIR}/transcript_python.txt")
endif()
message("${cpp_out}")
message("same transcript (${INPUT})")
