#!/usr/bin/env bash
# Builds the base image of the Jib image build (mvn -Pimage) without a Docker engine or registry: a Debian
# bookworm root file system with the Java 17 runtime (mmdebstrap, from Debian's packages), a user 'iiot' (uid
# 10001) owning /opt/iiot-routes/data, packed as a `docker save` archive that Jib reads as tar://.
#   .ci/build-base-image.sh [output folder, default target/image-base]   → <folder>/base.tar
# Needs root (or mmdebstrap's unshare mode), mmdebstrap and python3. Takes about a minute.
set -euo pipefail
out="${1:-target/image-base}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mmdebstrap --variant=apt --include=openjdk-17-jre-headless,curl,ca-certificates \
  --customize-hook='chroot "$1" useradd --system --uid 10001 --home-dir /opt/iiot-routes --shell /usr/sbin/nologin iiot' \
  --customize-hook='mkdir -p "$1/opt/iiot-routes/data" && chown 10001:10001 "$1/opt/iiot-routes/data"' \
  --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
  bookworm "$work/layer.tar"

python3 - "$work" "$out/base.tar" <<'PY'
import hashlib, json, os, sys, tarfile
work, target = sys.argv[1], sys.argv[2]
layer = os.path.join(work, "layer.tar")
digest = hashlib.sha256()
with open(layer, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        digest.update(chunk)
java_home = "/usr/lib/jvm/java-17-openjdk-amd64"
config = {
    "architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "JAVA_HOME=" + java_home,
                       "LANG=C.UTF-8"]},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + digest.hexdigest()]},
    "history": [{"created_by": "mmdebstrap --variant=apt --include=openjdk-17-jre-headless,curl,ca-certificates bookworm"}],
}
config_bytes = json.dumps(config).encode()
config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
manifest = [{"Config": config_name, "RepoTags": ["iiot-routes-base:bookworm"], "Layers": ["layer.tar"]}]
with open(os.path.join(work, config_name), "wb") as f:
    f.write(config_bytes)
with open(os.path.join(work, "manifest.json"), "w") as f:
    json.dump(manifest, f)
with tarfile.open(target, "w") as tar:
    for name in ("manifest.json", config_name, "layer.tar"):
        tar.add(os.path.join(work, name), arcname=name)
PY
ls -l "$out/base.tar"
