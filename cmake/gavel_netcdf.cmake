# The netCDF C library and its C++4 interface for gavel::datasets.
#
# What the packages provide differs: Debian's libnetcdf-dev ships netCDFConfig.cmake (target
# netCDF::netcdf) and netcdf.pc; Debian's libnetcdf-c++4-dev (4.3.1) ships only netcdf-cxx4.pc and
# the header <netcdf>, no CMake config; upstream netcdf-cxx4 installs built with CMake (Spack,
# source builds) ship netCDFCxxConfig.cmake. So both libraries are looked up by file name, with
# hints from whichever of those descriptions exist, and wrapped in the interface target
# gavel_netcdf (exported as gavel::netcdf) holding absolute paths: an installed gavel's consumers
# need no netCDF lookup of their own. Set GAVEL_NETCDF_CXX_LIBRARY / GAVEL_NETCDF_C_LIBRARY /
# GAVEL_NETCDF_INCLUDE_DIR to override.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(GAVEL_PC_NETCDF_CXX QUIET netcdf-cxx4)
  pkg_check_modules(GAVEL_PC_NETCDF QUIET netcdf)
endif()
find_package(netCDFCxx CONFIG QUIET)
find_package(netCDF CONFIG QUIET)

set(_gavel_netcdf_lib_hints ${GAVEL_PC_NETCDF_CXX_LIBRARY_DIRS} ${GAVEL_PC_NETCDF_LIBRARY_DIRS} ${netCDF_LIB_DIR})
set(_gavel_netcdf_include_hints ${GAVEL_PC_NETCDF_CXX_INCLUDE_DIRS} ${GAVEL_PC_NETCDF_INCLUDE_DIRS}
  ${netCDF_INCLUDE_DIR})
foreach(_dir IN ITEMS "${netCDFCxx_DIR}" "${netCDF_DIR}")
  if(_dir)
    # <prefix>/lib[/<multiarch>]/cmake/<package>
    foreach(_up IN ITEMS "../../.." "../../../..")
      get_filename_component(_prefix "${_dir}/${_up}" ABSOLUTE)
      list(APPEND _gavel_netcdf_lib_hints "${_prefix}/lib" "${_prefix}/lib64")
      list(APPEND _gavel_netcdf_include_hints "${_prefix}/include")
    endforeach()
    get_filename_component(_libdir "${_dir}/../.." ABSOLUTE)
    list(APPEND _gavel_netcdf_lib_hints "${_libdir}")
  endif()
endforeach()

find_library(GAVEL_NETCDF_CXX_LIBRARY NAMES netcdf_c++4 netcdf-cxx4 HINTS ${_gavel_netcdf_lib_hints}
  DOC "netCDF C++4 library")
find_library(GAVEL_NETCDF_C_LIBRARY NAMES netcdf HINTS ${_gavel_netcdf_lib_hints} DOC "netCDF C library")
find_path(GAVEL_NETCDF_INCLUDE_DIR NAMES ncFile.h HINTS ${_gavel_netcdf_include_hints}
  PATH_SUFFIXES netcdf-cxx4 DOC "folder of the netCDF C++4 headers (ncFile.h, <netcdf>)")
find_path(GAVEL_NETCDF_C_INCLUDE_DIR NAMES netcdf.h HINTS ${_gavel_netcdf_include_hints}
  DOC "folder of the netCDF C header netcdf.h")
foreach(_var IN ITEMS GAVEL_NETCDF_CXX_LIBRARY GAVEL_NETCDF_C_LIBRARY GAVEL_NETCDF_INCLUDE_DIR GAVEL_NETCDF_C_INCLUDE_DIR)
  if(NOT ${_var})
    message(FATAL_ERROR "gavel: netCDF not found (${_var}); install libnetcdf-dev and libnetcdf-c++4-dev "
      "(scripts/setup.sh does) or point CMAKE_PREFIX_PATH at a netCDF-C and netcdf-cxx4 install")
  endif()
endforeach()
message(STATUS "gavel: netCDF ${GAVEL_NETCDF_CXX_LIBRARY} ${GAVEL_NETCDF_C_LIBRARY}")

add_library(gavel_netcdf INTERFACE)
set_target_properties(gavel_netcdf PROPERTIES EXPORT_NAME netcdf)
# gavel's public headers include no netCDF header: the include folders are for building only.
target_include_directories(gavel_netcdf SYSTEM INTERFACE
  $<BUILD_INTERFACE:${GAVEL_NETCDF_INCLUDE_DIR}> $<BUILD_INTERFACE:${GAVEL_NETCDF_C_INCLUDE_DIR}>)
target_link_libraries(gavel_netcdf INTERFACE "${GAVEL_NETCDF_CXX_LIBRARY}" "${GAVEL_NETCDF_C_LIBRARY}")
install(TARGETS gavel_netcdf EXPORT gavelTargets)
