#!/usr/bin/env bash
# gavel setup: installs every build dependency from Debian's archive and builds Kokkos
# into a cache folder outside the repository. Idempotent; a second run takes seconds.
#
#   scripts/setup.sh          # Debian packages + Kokkos 3.4.01 (Serial + OpenMP)
#   scripts/setup.sh --cuda   # additionally CUDA 11.8 + Kokkos 3.4.01 (CUDA sm_80/sm_90)
#
# Environment:
#   GAVEL_CACHE   cache folder (default: $HOME/.cache/gavel); the CMake presets look here.
#   Kokkos_ROOT   an existing Kokkos install (e.g. from Spack); when set, no Kokkos is built.
set -euo pipefail

want_cuda=0
for arg in "$@"; do
  case "$arg" in
    --cuda) want_cuda=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

cache="${GAVEL_CACHE:-$HOME/.cache/gavel}"
mkdir -p "$cache"
log() { printf '[setup] %s\n' "$*"; }
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi

# clang and libclang-rt-dev (the libFuzzer, ASan and UBSan runtimes) build the `fuzz` preset's harnesses.
base_packages=(cmake ninja-build g++ make pkg-config xz-utils ca-certificates
  libhdf5-dev libnetcdf-dev libnetcdf-c++4-dev libeigen3-dev libcli11-dev
  nlohmann-json3-dev libyaml-cpp-dev libopenmpi-dev openmpi-bin libfftw3-dev libssl-dev clang-format
  ccache clang libclang-rt-dev)
backports_packages=(libcatch2-dev)
# The test that opens gavel's HTML report in a browser: Chromium's headless shell (no GTK, smaller
# than the full browser), a font to draw the text with, and Python (its zlib reads the screenshot).
report_check_packages=(chromium-headless-shell fonts-liberation python3)
cuda_packages=(nvidia-cuda-toolkit g++-11)

# ---- private apt configuration ------------------------------------------------------------
# deb-src and backports lines are derived from the mirror the system already uses; the system's
# own sources stay untouched, and our package lists live in the cache folder.
apt_dir="$cache/apt"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=")
# apt's unprivileged download user cannot write into a root-owned cache folder.
if [ "$(id -u)" -eq 0 ]; then apt_opts+=(-o "APT::Sandbox::User=root"); fi

codename() { . /etc/os-release && echo "${VERSION_CODENAME:-bookworm}"; }

# Prints "URI KEYRING" of the entry serving the release's main suite.
system_mirror() {
  local suite="$1" f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v suite="$suite" '
      function flush() { if (uri != "" && index(" " suites " ", " " suite " ") && types ~ /deb/) { print uri, key; found=1; exit } uri=""; suites=""; key=""; types="" }
      /^[[:space:]]*$/ { flush(); next }
      /^Types:/ { types=$0 }
      /^URIs:/ { uri=$2 }
      /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites=$0 }
      /^Signed-By:/ { key=$2 }
      END { if (!found) flush() }' "$f" && return 0
  done | head -n 1
  if [ -f /etc/apt/sources.list ]; then
    awk -v suite="$suite" '$1=="deb" { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1)==suite) { print $i, ""; exit } }' /etc/apt/sources.list
  fi
}

write_private_sources() {
  local rel mirror uri key opt
  rel=$(codename)
  mirror=$(system_mirror "$rel" | head -n 1)
  uri=${mirror%% *}
  key=${mirror#* }
  if [ -z "$uri" ]; then
    echo "setup.sh: could not find the Debian mirror for '$rel' in /etc/apt/sources.list{,.d}" >&2
    exit 1
  fi
  opt=""
  [ -n "$key" ] && [ "$key" != "$uri" ] && opt="[signed-by=$key] "
  mkdir -p "$apt_dir/lists/partial"
  {
    [ -f /etc/apt/sources.list ] && grep -v '^[[:space:]]*#' /etc/apt/sources.list || true
    echo "deb ${opt}$uri $rel contrib non-free non-free-firmware"
    echo "deb ${opt}$uri $rel-backports main"
    echo "deb-src ${opt}$uri $rel main"
  } >"$apt_dir/sources.list.new"
  mv "$apt_dir/sources.list.new" "$apt_dir/sources.list"
}

apt_ready=0
apt_update() {
  [ "$apt_ready" = 1 ] && return 0
  write_private_sources
  log "updating package lists (private lists in $apt_dir)"
  $sudo_cmd apt-get "${apt_opts[@]}" update -qq
  apt_ready=1
}

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
  done
}

install_packages() {
  local target="$1"; shift
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0
  apt_update
  log "installing:" $missing
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends \
    ${target:+-t "$target"} $missing >/dev/null
}

install_packages "" "${base_packages[@]}" "${report_check_packages[@]}"
install_packages "$(codename)-backports" "${backports_packages[@]}"
catch2_version=$(dpkg-query -W -f='${Version}' libcatch2-dev)
case "$catch2_version" in
  3.*) ;;
  *) echo "setup.sh: libcatch2-dev $catch2_version is not Catch2 v3" >&2; exit 1 ;;
esac
if [ "$want_cuda" = 1 ]; then
  install_packages "" "${cuda_packages[@]}"
fi

# ---- Kokkos -------------------------------------------------------------------------------
kokkos_version=3.4.01
kokkos_src="$cache/src/kokkos-$kokkos_version"

fetch_kokkos_source() {
  [ -f "$kokkos_src/CMakeLists.txt" ] && return 0
  apt_update
  local work="$cache/src/trilinos-download"
  rm -rf "$work" && mkdir -p "$work"
  log "downloading Debian's trilinos source package (Kokkos $kokkos_version lives in packages/kokkos)"
  (cd "$work" && apt-get "${apt_opts[@]}" source --download-only -qq trilinos >/dev/null)
  local tarball
  tarball=$(ls "$work"/trilinos_*.orig.tar.* | head -n 1)
  tar -xf "$tarball" -C "$work" --wildcards '*/packages/kokkos/*'
  local found
  found=$(find "$work" -maxdepth 3 -type d -path '*/packages/kokkos' | head -n 1)
  grep -q "Kokkos_VERSION_MAJOR 3" "$found/CMakeLists.txt" ||
    { echo "setup.sh: $found is not Kokkos 3.x" >&2; exit 1; }
  rm -rf "$kokkos_src"
  mkdir -p "$(dirname "$kokkos_src")"
  mv "$found" "$kokkos_src"
  rm -rf "$work"
}

# build_kokkos NAME [cmake args...]: builds and installs into $cache/kokkos-NAME once.
build_kokkos() {
  local name="$1"; shift
  local prefix="$cache/kokkos-$name"
  if [ -f "$prefix/lib/cmake/Kokkos/KokkosConfig.cmake" ] || [ -f "$prefix/lib64/cmake/Kokkos/KokkosConfig.cmake" ]; then
    return 0
  fi
  fetch_kokkos_source
  local build="$cache/build/kokkos-$name"
  rm -rf "$build" "$prefix.partial"
  mkdir -p "$build"
  log "building Kokkos $kokkos_version ($name) into $prefix"
  cmake -S "$kokkos_src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_STANDARD=17 \
    -DCMAKE_CXX_EXTENSIONS=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DCMAKE_INSTALL_PREFIX="$prefix.partial" -DKokkos_ENABLE_SERIAL=ON "$@" >"$build.log" 2>&1 ||
    { tail -n 30 "$build.log"; exit 1; }
  cmake --build "$build" -j "$(nproc)" >>"$build.log" 2>&1 || { tail -n 30 "$build.log"; exit 1; }
  cmake --install "$build" >>"$build.log" 2>&1 || { tail -n 30 "$build.log"; exit 1; }
  # The install prefix is baked into the config files, so install to the final name's twin and
  # rewrite; a half-built tree never carries the final name.
  grep -rl "$prefix.partial" "$prefix.partial" | xargs -r sed -i "s|$prefix.partial|$prefix|g"
  mv "$prefix.partial" "$prefix"
  rm -rf "$build"
}

if [ -n "${Kokkos_ROOT:-}" ]; then
  log "using Kokkos from Kokkos_ROOT=$Kokkos_ROOT"
else
  build_kokkos openmp -DKokkos_ENABLE_OPENMP=ON
fi

# Headers of a newer CUDA in /usr/local/include would shadow Debian's CUDA 11.8 headers in
# /usr/include (the host compiler searches /usr/local/include first). This folder of links,
# passed with -I, puts the 11.8 headers first again; the cuda preset uses it too.
make_cuda_include_shadow() {
  local shadow="$cache/cuda-include" entry name
  rm -rf "$shadow.new" && mkdir -p "$shadow.new"
  for entry in /usr/local/include/*; do
    [ -e "$entry" ] || continue
    name=$(basename "$entry")
    [ -e "/usr/include/$name" ] && ln -s "/usr/include/$name" "$shadow.new/$name"
  done
  rm -rf "$shadow" && mv "$shadow.new" "$shadow"
}

if [ "$want_cuda" = 1 ]; then
  fetch_kokkos_source
  make_cuda_include_shadow
  # Debian's CUDA 11.8 nvcc lives in /usr/bin; a newer toolkit earlier on PATH cannot build Kokkos 3.4.
  # nvcc_wrapper accepts one -arch, so sm_90 code is appended through nvcc's own variable.
  PATH="/usr/bin:$PATH" NVCC_WRAPPER_DEFAULT_COMPILER=g++-11 CUDA_ROOT="" \
    NVCC_APPEND_FLAGS="-gencode=arch=compute_90,code=sm_90 -I$cache/cuda-include" \
    build_kokkos cuda -DKokkos_ENABLE_OPENMP=ON -DKokkos_ENABLE_CUDA=ON -DKokkos_ENABLE_CUDA_LAMBDA=ON \
    -DKokkos_ARCH_AMPERE80=ON -DCMAKE_CXX_COMPILER="$kokkos_src/bin/nvcc_wrapper"
fi
log "done (cache: $cache)"
