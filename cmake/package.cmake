# CPack: `scripts/package` builds build-release/daliz_VERSION_ARCH.deb from the install rules.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME daliz)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "daliz")
set(CPACK_PACKAGE_CONTACT "daliz maintainers <daliz@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "customs risk profiles, compiled: the daliz CLI, service and engine library")
set(CPACK_PACKAGE_DESCRIPTION "daliz checks, tests, compiles and runs customs risk profiles: the `daliz` command
(check, compile, run, serve, replay, ...), libdaliz.so.0 with its C ABI and C++ API, headers,
CMake and pkg-config files.")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: from the libraries the binaries link
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
include(CPack)
