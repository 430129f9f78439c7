# `cmake --install`: the tools, their man pages, libbullion (static), its
# public headers, a CMake package (find_package(bullion) -> bullion::bullion)
# and a pkg-config file (bullion.pc). Included from the top CMakeLists.txt
# after the library and tools are defined.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Libraries to install and export: the area libraries and the aggregate
# `bullion` that links them all (cmake/areas.cmake).
set(BULLION_INSTALL_LIBRARIES bullion ${BULLION_AREA_TARGETS})

install(TARGETS ${BULLION_INSTALL_LIBRARIES} EXPORT bullionTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/bullion DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h" PATTERN "*.def")
install(FILES ${CMAKE_BINARY_DIR}/include/bullion/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bullion)

install(EXPORT bullionTargets NAMESPACE bullion:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/bullion)
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/bullionConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/bullionConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/bullion)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/bullionConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/bullionConfig.cmake ${CMAKE_BINARY_DIR}/bullionConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/bullion)

# pkg-config: the library is static, so its dependencies are public.
if(BULLION_LINUX)
  set(BULLION_PC_REQUIRES "fmt libpcre2-8 zlib audit auparse")
else()
  set(BULLION_PC_REQUIRES "fmt libpcre2-8 zlib")
endif()
# The prefix relative to the .pc file, so `cmake --install --prefix P` works.
file(RELATIVE_PATH BULLION_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
configure_file(${CMAKE_SOURCE_DIR}/cmake/bullion.pc.in ${CMAKE_BINARY_DIR}/bullion.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/bullion.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Tools and their man pages (docs/man/NAME.1 or NAME.8; docs/manpages.md).
install(TARGETS ${BULLION_TOOLS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
file(GLOB BULLION_MAN1 CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/docs/man/*.1)
file(GLOB BULLION_MAN8 CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/docs/man/*.8)
install(FILES ${BULLION_MAN1} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${BULLION_MAN8} DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)

# bsmauditd's systemd unit, and example configuration files (Debian-style:
# /etc/default/bsmauditd, /etc/security/audit_control, audit_warn) under
# share/doc/bullion/examples, never straight into /etc.
configure_file(${CMAKE_SOURCE_DIR}/dist/systemd/bsmauditd.service.in ${CMAKE_BINARY_DIR}/bsmauditd.service @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/bsmauditd.service DESTINATION lib/systemd/system)
install(FILES ${CMAKE_SOURCE_DIR}/dist/security/audit_control ${CMAKE_SOURCE_DIR}/dist/default/bsmauditd
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(PROGRAMS ${CMAKE_SOURCE_DIR}/dist/security/audit_warn DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
