# lib/php-layer.sh: the PHP runtime layer, built from the build image alone (no app files, no app hooks).
# Sourced by bin/shared-layers (the server runs it in a build container of its own and publishes the result
# read-only for every app) and by bin/compile (where no published layer is there: host builds).

# php_layer_name: the layer's directory name, which names the PHP binary it was made from.
php_layer_name() {
  echo "php-layer-$(php -r 'echo PHP_VERSION;')-$(sha256sum "$(readlink -f "$(command -v php)")" | cut -c1-12)"
}

# build_php_layer DIR: builds the layer into DIR/$(php_layer_name) unless it is complete there.
build_php_layer() {
  local into="$1" version php_bin layer staging ext_dir
  version="$(php -r 'echo PHP_VERSION;')"
  php_bin="$(readlink -f "$(command -v php)")"
  layer="$into/$(php_layer_name)"
  [ -f "$layer/.complete" ] && return 0
  echo "-----> Building the PHP $version runtime layer"
  # Built aside and renamed into place: another build may be making the same layer right now.
  mkdir -p "$into"
  find "$into" -maxdepth 1 -name '.php-layer.*' -mmin +60 -exec rm -rf {} + # left by builds that were killed
  staging="$(mktemp -d "$into/.php-layer.XXXXXX")"
  mkdir -p "$staging/bin" "$staging/lib" "$staging/ext"
  ext_dir="$(php -r 'echo ini_get("extension_dir");')"
  cp "$php_bin" "$staging/bin/php"
  # The shared extensions the build image's PHP enables, in the order its ini files load them.
  : > "$staging/php.ini"
  for ini in $(php -r 'echo str_replace(",", " ", (string) php_ini_scanned_files());'); do
    sed -n -E 's/^[[:space:]]*(zend_extension|extension)[[:space:]]*=[[:space:]]*"?([^";[:space:]]+)"?.*/\1 \2/p' "$ini"
  done | while read -r kind name; do
    file="$(basename "$name")"; file="${file%.so}.so"
    [ -f "$ext_dir/$file" ] || continue
    cp "$ext_dir/$file" "$staging/ext/$file"
    echo "$kind=$file" >> "$staging/php.ini"
  done
  # The ldd closure of php and its extensions, without the C library and loader every Lambda image has.
  for elf in "$staging/bin/php" "$staging"/ext/*.so; do
    ldd "$elf" 2>/dev/null | awk '/=> \// {print $3}'
  done | sort -u | while read -r lib; do
    case "$(basename "$lib")" in
      libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|ld-linux*|libresolv.so.*) continue ;;
    esac
    cp -L "$lib" "$staging/lib/"
  done
  echo "       php $version, $(ls "$staging/ext" | wc -l) extensions, $(ls "$staging/lib" | wc -l) libraries, $(du -sk "$staging" | cut -f1) KB"
  touch "$staging/.complete"
  chmod 0755 "$staging"
  # Only complete layers are ever renamed into place; if another build's got there first, it is the same.
  mv -T "$staging" "$layer" 2>/dev/null || rm -rf "$staging"
}
