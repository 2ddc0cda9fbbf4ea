# Two Debian packages from one build (cpack -G DEB): doorstep-kiosk (the terminal, in cage) and
# doorstep-server (head office). Each ships its binary, its systemd unit, its settings file in
# /etc/doorstep (a conffile) and maintainer scripts that create the user doorstep and enable the
# unit. Library dependencies come from dpkg-shlibdeps; the rest are named below.
set(DOORSTEP_LINUX_DIR ${CMAKE_CURRENT_LIST_DIR})
set(DOORSTEP_UNIT_DIR /lib/systemd/system)  # Debian 12's packages put units here
set(DOORSTEP_CONFIG_DIR /etc/doorstep)  # what the installed binaries read (paths.cpp)

install(TARGETS doorstep-kiosk RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
install(DIRECTORY ${DOORSTEP_SOURCE_ASSETS_DIR}/surveys ${DOORSTEP_SOURCE_ASSETS_DIR}/simulate
        ${DOORSTEP_SOURCE_ASSETS_DIR}/translations
        DESTINATION ${DOORSTEP_INSTALLED_ASSETS_SUBDIR} COMPONENT kiosk)
install(FILES ${DOORSTEP_LINUX_DIR}/doorstep-kiosk.service DESTINATION ${DOORSTEP_UNIT_DIR}
        COMPONENT kiosk)
install(FILES ${DOORSTEP_LINUX_DIR}/kiosk.json DESTINATION ${DOORSTEP_CONFIG_DIR} COMPONENT kiosk)
install(FILES ${DOORSTEP_LINUX_DIR}/doorstep-kiosk.pam DESTINATION /etc/pam.d
        RENAME doorstep-kiosk COMPONENT kiosk)

install(TARGETS doorstep-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)
install(FILES ${DOORSTEP_LINUX_DIR}/doorstep-server.service DESTINATION ${DOORSTEP_UNIT_DIR}
        COMPONENT server)
install(FILES ${DOORSTEP_LINUX_DIR}/server.json DESTINATION ${DOORSTEP_CONFIG_DIR} COMPONENT server)

foreach(component kiosk server)
  install(FILES ${CMAKE_SOURCE_DIR}/docs/install.md
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/doorstep-${component} COMPONENT ${component})
endforeach()

# doorstep_package_scripts(COMPONENT UNIT CONFIG_FILE CONFIG_MODE START_ON_INSTALL GROUPS CONFFILES):
# the maintainer scripts and conffiles list of one package, filled in from debian/*.in.
function(doorstep_package_scripts component unit config_file config_mode start groups conffiles)
  set(PACKAGE doorstep-${component})
  set(UNIT ${unit})
  set(CONFIG_FILE ${config_file})
  set(CONFIG_MODE ${config_mode})
  set(START_ON_INSTALL ${start})
  set(EXTRA_GROUPS ${groups})
  set(out ${CMAKE_BINARY_DIR}/debian/${component})
  foreach(script postinst prerm postrm)
    configure_file(${DOORSTEP_LINUX_DIR}/debian/${script}.in ${out}/${script} @ONLY
                   FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                    WORLD_READ WORLD_EXECUTE)
  endforeach()
  string(REPLACE ";" "\n" conffile_lines "${conffiles}")
  file(WRITE ${out}/conffiles "${conffile_lines}\n")
  string(TOUPPER ${component} upper)
  set(CPACK_DEBIAN_${upper}_PACKAGE_CONTROL_EXTRA
      ${out}/postinst ${out}/prerm ${out}/postrm ${out}/conffiles PARENT_SCOPE)
endfunction()

# The kiosk is enabled but not started on installation: it takes over tty1, where the technician
# may be logged in. It starts at the next boot or with `systemctl start doorstep-kiosk`.
doorstep_package_scripts(kiosk doorstep-kiosk.service kiosk.json 0644 no "video input render"
  "${DOORSTEP_CONFIG_DIR}/kiosk.json;/etc/pam.d/doorstep-kiosk")
doorstep_package_scripts(server doorstep-server.service server.json 0640 yes ""
  "${DOORSTEP_CONFIG_DIR}/server.json")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME doorstep)
set(CPACK_PACKAGE_VENDOR Doorstep)
set(CPACK_PACKAGE_CONTACT "Doorstep <doorstep@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)  # whatever CMAKE_INSTALL_PREFIX the build has
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL kiosk server)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)  # debug info stays in the build tree
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME doorstep-kiosk)
set(CPACK_DEBIAN_KIOSK_DESCRIPTION
    "Doorstep customer feedback terminal\n Full-screen touch kiosk that asks customers at the door how they felt,\n keeps every answer in SQLite and sends them to head office.")
# cage 0.1.4 refuses to start without Xwayland; the unit's ExecStop uses pkill; speech mode
# needs espeak-ng's voices (its library comes by shlibdeps).
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "cage, xwayland, procps, fonts-dejavu-core, adduser, libpam-systemd, espeak-ng-data")
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME doorstep-server)
set(CPACK_DEBIAN_SERVER_DESCRIPTION
    "Doorstep head-office server\n Receives every kiosk answer exactly once and serves the reports, the\n dashboard and the fleet of terminals.")
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser")
set(CPACK_COMPONENT_KIOSK_DESCRIPTION "${CPACK_DEBIAN_KIOSK_DESCRIPTION}")
set(CPACK_COMPONENT_SERVER_DESCRIPTION "${CPACK_DEBIAN_SERVER_DESCRIPTION}")
include(CPack)
