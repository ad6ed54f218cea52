# SPDX-License-Identifier: Apache-2.0
# symtri_python_with(<out-var> <module>...): the first Python 3 interpreter that can import every module:
# the one find_package(Python3) found, then Debian's /usr/bin/python3, where the python3-* packages that
# scripts/dev.sh installs live (a pyenv or venv python earlier on PATH may not see them). When none can,
# falls back to the first, so a test that needs a missing package fails and says so instead of vanishing.
function(symtri_python_with out)
  set(candidates ${Python3_EXECUTABLE} /usr/bin/python3)
  list(REMOVE_DUPLICATES candidates)
  string(REPLACE ";" ", " modules "${ARGN}")
  foreach(py IN LISTS candidates)
    if(EXISTS ${py})
      execute_process(COMMAND ${py} -c "import ${modules}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
      if(rc EQUAL 0)
        set(${out} ${py} PARENT_SCOPE)
        return()
      endif()
    endif()
  endforeach()
  message(STATUS "symtri: no Python 3 here can import ${modules}; the tests that need it will fail "
                 "(scripts/dev.sh installs the Debian packages)")
  list(GET candidates 0 first)
  set(${out} ${first} PARENT_SCOPE)
endfunction()
