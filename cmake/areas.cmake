# The library's areas: each src/<area>/ (with include/bullion/<area>/) is a
# static library, bullion_<area>, that may use only the areas it declares.
#
#   bullion_area(NAME [DEPS area...] [LIBS target...])
#   bullion_area_header(FILE AREA)   a header directly under include/bullion/
#   bullion_areas_done()             writes the graph, checks it, adds the
#                                    `bullion` library that links every area
#
# The declared graph is checked twice: at configure time for cycles (CMake
# itself would link a cycle of static libraries without complaint), and at
# build time (cmake/check_areas.cmake, the `bullion_areas_checked` step every
# area waits for) for #include lines that reach an area not declared, directly
# or through the areas declared. Either fails the build.

set(BULLION_AREA_NAMES "" CACHE INTERNAL "")

function(bullion_area name)
  cmake_parse_arguments(AREA "" "" "DEPS;LIBS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${name}/*.cpp)
  if(NOT BULLION_LINUX)
    list(FILTER sources EXCLUDE REGEX ".*_linux\\.cpp$")
  endif()
  if(NOT (CMAKE_SYSTEM_NAME STREQUAL "FreeBSD" OR APPLE))
    list(FILTER sources EXCLUDE REGEX ".*_auditpipe\\.cpp$")
  endif()
  add_library(bullion_${name} STATIC ${sources})
  target_include_directories(bullion_${name} PUBLIC $<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/include>
                             $<BUILD_INTERFACE:${CMAKE_BINARY_DIR}/include> $<INSTALL_INTERFACE:include>
                             PRIVATE ${CMAKE_SOURCE_DIR}/src)
  foreach(dep ${AREA_DEPS})
    target_link_libraries(bullion_${name} PUBLIC bullion_${dep})
  endforeach()
  if(AREA_LIBS)
    target_link_libraries(bullion_${name} PUBLIC ${AREA_LIBS})
  endif()
  add_dependencies(bullion_${name} bullion_areas_checked)
  set(BULLION_AREA_NAMES ${BULLION_AREA_NAMES} ${name} CACHE INTERNAL "")
  set(BULLION_AREA_DEPS_${name} "${AREA_DEPS}" CACHE INTERNAL "")
endfunction()

function(bullion_area_header file area)
  set(BULLION_AREA_HEADERS ${BULLION_AREA_HEADERS} "${file}=${area}" CACHE INTERNAL "")
endfunction()

function(bullion_areas_done)
  set(graph "${CMAKE_BINARY_DIR}/area_graph.cmake")
  set(text "# Written by cmake/areas.cmake from CMakeLists.txt: the declared area graph.\n")
  string(APPEND text "set(AREAS ${BULLION_AREA_NAMES})\n")
  foreach(area ${BULLION_AREA_NAMES})
    string(APPEND text "set(AREA_DEPS_${area} ${BULLION_AREA_DEPS_${area}})\n")
  endforeach()
  string(APPEND text "set(AREA_HEADERS ${BULLION_AREA_HEADERS})\n")
  file(WRITE ${graph} "${text}")
  # Cycles fail the configure step.
  set(GRAPH ${graph})
  set(CHECK_INCLUDES OFF)
  include(${CMAKE_SOURCE_DIR}/cmake/check_areas.cmake)
  # Includes are checked on every build whose sources changed.
  set(checked_sources "")
  foreach(area ${BULLION_AREA_NAMES})
    file(GLOB_RECURSE area_files CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${area}/*
         ${CMAKE_SOURCE_DIR}/include/bullion/${area}/*)
    list(APPEND checked_sources ${area_files})
  endforeach()
  add_custom_command(
    OUTPUT ${CMAKE_BINARY_DIR}/area_includes.checked
    COMMAND ${CMAKE_COMMAND} -DGRAPH=${graph} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -P
            ${CMAKE_SOURCE_DIR}/cmake/check_areas.cmake
    COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_BINARY_DIR}/area_includes.checked
    DEPENDS ${checked_sources} ${graph} ${CMAKE_SOURCE_DIR}/cmake/check_areas.cmake
    COMMENT "Checking #include lines against the declared area graph"
    VERBATIM)
  add_library(bullion INTERFACE)
  set(link_flags "")
  foreach(area ${BULLION_AREA_NAMES})
    target_link_libraries(bullion INTERFACE bullion_${area})
    # Static libraries link users first: the last declared area goes first.
    string(PREPEND link_flags "-lbullion_${area} ")
  endforeach()
  string(STRIP "${link_flags}" link_flags)
  set(BULLION_PC_LIBS "${link_flags}" PARENT_SCOPE)
  set(BULLION_AREA_TARGETS "" PARENT_SCOPE)
  foreach(area ${BULLION_AREA_NAMES})
    list(APPEND targets bullion_${area})
  endforeach()
  set(BULLION_AREA_TARGETS ${targets} PARENT_SCOPE)
endfunction()

add_custom_target(bullion_areas_checked DEPENDS ${CMAKE_BINARY_DIR}/area_includes.checked)
