# SPDX-License-Identifier: Apache-2.0
# symtri::lib: the compiled C++ library, beside the header-only symtri::symtri, from the same headers
# (include/symtri/config.hpp; fmt and spdlog do the same). The heavy functions that run once or rarely
# (the loader and compiler, the built-in rule set's text, check, explain, the formatters, Session) are
# compiled here once from the *-inl.hpp files; a program that links symtri::lib compiles only the
# declarations and the inline hot path it calls. Static by default; BUILD_SHARED_LIBS=ON makes it
# shared. Included by the top CMakeLists.txt after the header-only targets.

# The header-only targets say so, so that mixing them with symtri::lib in one program fails to compile
# (config.hpp) instead of linking two definitions.
target_compile_definitions(symtri INTERFACE SYMTRI_HEADER_ONLY)

option(SYMTRI_BUILD_LIB "Build symtri::lib, the compiled C++ library (libsymtri-cpp)" ON)
# What the project's own programs (the symtri program, libsymtri.so, the service, the tests, examples
# and benchmarks) are built against: symtri::lib when it is built, so the loader and compiler are
# compiled once for all of them instead of once per translation unit. The header-only mode is built and
# tested by tests/identity (both modes, byte-identical results), tests/install's consumers and the fuzz
# targets.
if(NOT SYMTRI_BUILD_LIB)
  set(SYMTRI_ENGINE symtri::with_rules)
  return()
endif()
set(SYMTRI_ENGINE symtri::lib)

add_library(symtri_lib
  ${PROJECT_SOURCE_DIR}/src/lib/builtin.cpp    # the built-in rule set (builtin-inl.hpp)
  ${PROJECT_SOURCE_DIR}/src/lib/case.cpp       # the checked case reader behind parse_case (case-inl.hpp)
  ${PROJECT_SOURCE_DIR}/src/lib/check.cpp      # run_carried_tests (check-inl.hpp)
  ${PROJECT_SOURCE_DIR}/src/lib/compiler.cpp   # load_rules: loader and compiler passes (compiler-inl.hpp)
  ${PROJECT_SOURCE_DIR}/src/lib/explain.cpp    # explain_rule (explain-inl.hpp)
  ${PROJECT_SOURCE_DIR}/src/lib/format.cpp     # format_text, cds_hooks_response (format_*-inl.hpp)
  ${PROJECT_SOURCE_DIR}/src/lib/session.cpp)   # Session (session-inl.hpp)
add_library(symtri::lib ALIAS symtri_lib)
# As a subproject (add_subdirectory), built only when the parent links symtri::lib: `all` of a parent
# builds nothing of symtri's that it does not use.
if(NOT SYMTRI_MASTER_PROJECT)
  set_target_properties(symtri_lib PROPERTIES EXCLUDE_FROM_ALL ON)
endif()
set_target_properties(symtri_lib PROPERTIES
  OUTPUT_NAME symtri-cpp       # libsymtri.so is the C API's
  EXPORT_NAME lib
  POSITION_INDEPENDENT_CODE ON
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
target_compile_features(symtri_lib PUBLIC cxx_std_17)
target_compile_definitions(symtri_lib PUBLIC SYMTRI_COMPILED_LIB)
target_include_directories(symtri_lib PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:include>)
# The built-in rule set's generated header: compiled into the library, so its users never need it.
target_include_directories(symtri_lib PRIVATE ${SYMTRI_GENERATED_DIR})
add_dependencies(symtri_lib symtri_builtin_rules)
target_link_libraries(symtri_lib PUBLIC nlohmann_json::nlohmann_json Threads::Threads)
target_compile_options(symtri_lib PRIVATE ${SYMTRI_WARNINGS})

if(SYMTRI_INSTALL)
  include(GNUInstallDirs)
  install(TARGETS symtri_lib EXPORT symtriTargets
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
