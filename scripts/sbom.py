"""Write a CycloneDX 1.5 SBOM of the image it runs in: the Debian packages, the Python
packages of the interpreter running it (the runtime's venv), and the Java libraries on
TorchServe's frontend classpath with their real versions, including what its fat jar
embeds, which scanners cannot see (serving/engines/torchserve/inventory.py).

Both Dockerfiles run it last in the runtime stage:

    /opt/venv/bin/python scripts/sbom.py /usr/share/doc/serving/sbom.cdx.json

``make test-images`` checks the file against what each image holds.
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

DPKG = Path("/var/lib/dpkg")
OS_RELEASE = Path("/etc/os-release")


def dpkg_installed(status_text: str) -> list[dict[str, str]]:
    """Installed packages from a dpkg status file: name, version, architecture."""
    packages = []
    for stanza in status_text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if line and not line[0].isspace() and ":" in line:
                key, value = line.split(":", 1)
                fields[key] = value.strip()
        if fields.get("Status", "").endswith(" installed"):
            packages.append(
                {
                    "name": fields["Package"],
                    "version": fields["Version"],
                    "arch": fields.get("Architecture", ""),
                }
            )
    return sorted(packages, key=lambda p: p["name"])


def os_release(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {key: value.strip('"') for key, value in pairs}


def deb_component(package: dict[str, str], distro: str) -> dict[str, object]:
    purl = f"pkg:deb/debian/{package['name']}@{quote(package['version'], safe='')}"
    purl += f"?arch={package['arch']}&distro={distro}"
    return {
        "type": "library",
        "name": package["name"],
        "version": package["version"],
        "purl": purl,
    }


def python_components(distributions: list[metadata.Distribution]) -> list[dict[str, object]]:
    seen: dict[str, dict[str, object]] = {}
    for dist in distributions:
        name = dist.metadata["Name"]
        seen[name.lower()] = {
            "type": "library",
            "name": name,
            "version": dist.version,
            "purl": f"pkg:pypi/{name.lower().replace('_', '-')}@{quote(dist.version, safe='')}",
        }
    return [seen[key] for key in sorted(seen)]


def jar_owners(info_dir: Path, installed: list[dict[str, str]]) -> dict[str, str]:
    """``{real path of a .jar: "package version"}`` from dpkg's file lists."""
    versions = {p["name"]: p["version"] for p in installed}
    owners = {}
    for listing in info_dir.glob("*.list"):
        package = listing.stem.split(":")[0]
        for line in listing.read_text().splitlines():
            if line.endswith(".jar"):
                owners[str(Path(line).resolve())] = f"{package} {versions.get(package, '')}"
    return owners


def sbom(components: list[dict[str, object]], name: str, timestamp: str) -> dict[str, object]:
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {
            "timestamp": timestamp,
            "tools": {"components": [{"type": "application", "name": "scripts/sbom.py"}]},
            "component": {"type": "container", "name": name},
        },
        "components": components,
    }


def main(argv: list[str]) -> int:
    from serving.engines.torchserve import frontend_jar, inventory

    (output,) = argv
    release = os_release(OS_RELEASE.read_text())
    distro = f"{release.get('ID', 'debian')}-{release.get('VERSION_ID', '')}"
    installed = dpkg_installed((DPKG / "status").read_text())
    debs = [deb_component(p, distro) for p in installed]
    pythons = python_components(list(metadata.distributions()))
    owners = jar_owners(DPKG / "info", installed)
    javas = inventory.frontend_components(frontend_jar.installed_jar(), owners)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    document = sbom(debs + pythons + javas, "serving", stamp)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(json.dumps(document, indent=1) + "\n")
    print(f"{output}: {len(debs)} Debian, {len(pythons)} Python, {len(javas)} Java components")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
