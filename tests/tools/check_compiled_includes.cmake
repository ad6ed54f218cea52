# SPDX-License-Identifier: Apache-2.0
# A program that links symtri::lib compiles only declarations and the inline hot path (docs/cpp-api.md,
# "Header-only or compiled"): <symtri/symtri.hpp> in the compiled mode must not read the loader, the
# JSON readers or any *-inl.hpp definitions, which are what made a ten-line consumer take over 5 s.
# Asks the compiler which headers it reads (-H, GCC and Clang) rather than timing anything.
#   cmake -DCXX=<compiler> -DINCLUDE=<symtri include dir> -DWORK=<dir> -P check_compiled_includes.cmake
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/consumer.cpp "#include <symtri/symtri.hpp>\nint main() { return symtri::load_builtin_rules() ? 0 : 1; }\n")
execute_process(
  COMMAND ${CXX} -std=c++17 -DSYMTRI_COMPILED_LIB -I${INCLUDE} -H -fsyntax-only ${WORK}/consumer.cpp
  RESULT_VARIABLE rc ERROR_VARIABLE headers OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the compiled-mode consumer does not compile:\n${headers}")
endif()
string(REGEX MATCHALL "[^\n]*include/symtri/[^\n]*" lines "${headers}")
set(bad "")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^\\.+ +" "" path "${line}")
  get_filename_component(name ${path} NAME)
  if(name MATCHES "-inl\\.hpp$" OR name MATCHES "^(loader|json_reader|json_document|read_ahead|canonical)\\.hpp$")
    list(APPEND bad ${path})
  endif()
endforeach()
list(LENGTH lines count)
if(count LESS 5)
  message(FATAL_ERROR "-H listed ${count} symtri headers: the check cannot see what is included")
endif()
if(bad)
  list(REMOVE_DUPLICATES bad)
  string(REPLACE ";" "\n  " bad "${bad}")
  message(FATAL_ERROR "<symtri/symtri.hpp> in the compiled mode reads what symtri::lib compiles:\n  ${bad}")
endif()
message(STATUS "compiled mode: ${count} symtri headers read, none of the loader, the JSON readers or *-inl.hpp")
