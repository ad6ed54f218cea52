# SPDX-License-Identifier: Apache-2.0
# `cmake --install` of the Python package (python/symtri), with a relative link to the installed
# libsymtri beside it: the package looks beside itself first, so it imports with no environment variable.
#
# Where it goes is decided at install time, from the prefix given then (`cmake --install build --prefix P`
# may differ from the configured one), as the prefix's python3 searches it:
#   Debian, prefix /usr:   lib/python3/dist-packages          (Debian's own packages' directory)
#   Debian, other prefix:  lib/python3.X/dist-packages        (/usr/local: on Debian's python3's sys.path)
#   elsewhere:             lib/python3.X/site-packages
# SYMTRI_INSTALL_PYTHONDIR (relative to the prefix, or absolute) overrides it.
if(NOT TARGET symtri_capi OR NOT EXISTS ${PROJECT_SOURCE_DIR}/python/symtri/__init__.py)
  return()
endif()
# The X.Y of python3.X: Debian's own python3 where there is one (the one /usr/local/lib/python3.X serves;
# a pyenv or venv python found first may be another version), else the one CMake finds.
set(symtri_py_version python3)
if(EXISTS /etc/debian_version AND EXISTS /usr/bin/python3)
  execute_process(COMMAND /usr/bin/python3 -c "import sys; print('python%d.%d' % sys.version_info[:2])"
                  OUTPUT_VARIABLE symtri_py_version OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    set(symtri_py_version python3)
  endif()
endif()
if(symtri_py_version STREQUAL "python3")
  find_package(Python3 3.8 COMPONENTS Interpreter QUIET)
  if(Python3_FOUND)
    set(symtri_py_version python${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR})
  endif()
endif()
set(SYMTRI_INSTALL_PYTHON_DIR "" CACHE STRING
    "Where cmake --install puts the symtri Python package (relative to the prefix, or absolute); empty: where the prefix's python3 looks")
set(symtri_py_system other)
if(EXISTS /etc/debian_version)
  set(symtri_py_system debian)
endif()
install(CODE "
  set(pydir \"${SYMTRI_INSTALL_PYTHON_DIR}\")
  if(pydir STREQUAL \"\")
    # (strings compared: an install script runs without the project's policies, so no if(ON))
    if(\"${symtri_py_system}\" STREQUAL \"debian\" AND CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
      set(pydir lib/python3/dist-packages)
    elseif(\"${symtri_py_system}\" STREQUAL \"debian\")
      set(pydir lib/${symtri_py_version}/dist-packages)
    else()
      set(pydir lib/${symtri_py_version}/site-packages)
    endif()
  endif()
  if(NOT IS_ABSOLUTE \"\${pydir}\")
    set(pydir \"\${CMAKE_INSTALL_PREFIX}/\${pydir}\")
  endif()
  file(INSTALL DESTINATION \"\${pydir}\" TYPE DIRECTORY FILES \"${PROJECT_SOURCE_DIR}/python/symtri\"
       FILES_MATCHING PATTERN \"*.py\" PATTERN \"py.typed\" PATTERN \"__pycache__\" EXCLUDE)
  set(libdir \"${CMAKE_INSTALL_LIBDIR}\")
  if(NOT IS_ABSOLUTE \"\${libdir}\")
    set(libdir \"\${CMAKE_INSTALL_PREFIX}/\${libdir}\")
  endif()
  file(RELATIVE_PATH rel \"\${pydir}/symtri\" \"\${libdir}/$<TARGET_SONAME_FILE_NAME:symtri_capi>\")
  set(link \"\$ENV{DESTDIR}\${pydir}/symtri/libsymtri.so\")
  message(STATUS \"Installing: \${link} -> \${rel}\")
  file(CREATE_LINK \"\${rel}\" \"\${link}\" SYMBOLIC)
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES \"\${pydir}/symtri/libsymtri.so\")
")
