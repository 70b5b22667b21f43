#!/bin/sh
# Fill deploy/nginx/bmip.conf.template's @@NAME@@ tokens from the environment (as
# bin/render-nginx does on a host) into conf.d; stop when one is not set.
set -eu
template=/etc/nginx/bmip.conf.template
out=/etc/nginx/conf.d/bmip.conf
cp "$template" "$out.tmp"
for name in $(grep -o '@@[A-Z_]*@@' "$template" | sort -u | tr -d @); do
  value=$(printenv "$name") || { echo "bmip nginx: set $name" >&2; exit 1; }
  escaped=$(printf '%s' "$value" | sed 's/[|&\\]/\\&/g')
  sed -i "s|@@${name}@@|${escaped}|g" "$out.tmp"
done
mv "$out.tmp" "$out"
