"""Installing a local LanguageTool: from Maven Central (`mvn`) or language-tool-python's download.

The only place that downloads anything; checking never does. An install is a
directory with the server's jars in `lib/` and an `installed.json` marker written
last, so a half-finished install is never mistaken for a working one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from essaycoach.errors import EngineError

LANGUAGETOOL_VERSION = "6.8"
MIN_JAVA = 17
MARKER = "installed.json"
INSTALL_DIR_ENV = "ESSAYCOACH_LANGUAGETOOL_DIR"

# The server module pulls in language-all (every language, about 250 MB). English
# is all we check; the language identifier built into the server also needs
# Spanish, Catalan and Portuguese at start-up, so those stay (about 100 MB in all).
_LANGUAGE_MODULES = ("en", "es", "ca", "pt")
# Maven 3.8's default binding of this plugin, pinned so newer Mavens behave the same.
_DEPENDENCY_PLUGIN = "2.8"


@dataclass(frozen=True)
class Installation:
    """A usable local LanguageTool: the java command line needs only `classpath`."""

    directory: Path
    version: str
    method: str
    classpath: str

    def size_mb(self) -> float:
        total = sum(p.stat().st_size for p in self.directory.rglob("*") if p.is_file())
        return total / 1e6


@dataclass(frozen=True)
class Java:
    path: str
    major: int


def data_home() -> Path:
    """Per-user data directory: $ESSAYCOACH_HOME, else $XDG_DATA_HOME/essaycoach."""
    configured = os.environ.get("ESSAYCOACH_HOME")
    if configured:
        return Path(configured).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "essaycoach"


def data_folder(folder: Path, variable: str = "ESSAYCOACH_HOME") -> Path:
    """`folder`, created if missing; EngineError naming it, why and the fix (the
    environment `variable` that moves it) when it cannot be created or written to."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = _blocked_by(folder, error)
    else:
        if os.access(folder, os.W_OK | os.X_OK):
            return folder
        reason = "not writable"
    raise _unusable(folder, reason, variable)


def check_data_home() -> None:
    """EngineError, as `data_folder` raises it, when the data home cannot be a folder
    (it, or a folder above it, is a file). Nothing is created."""
    home = data_home()
    if (blocker := _file_in_the_way(home)) is not None:
        raise _unusable(home, f"{blocker} is not a folder")


def _unusable(folder: Path, reason: str, variable: str = "ESSAYCOACH_HOME") -> EngineError:
    return EngineError(
        f"cannot use essaycoach's data folder ({reason}); set {variable} to a writable folder",
        folder,
    )


def _file_in_the_way(folder: Path) -> Path | None:
    """`folder`, or the nearest folder above it that exists, when that is not a folder."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    return existing if existing is not None and not existing.is_dir() else None


def _blocked_by(folder: Path, error: OSError) -> str:
    """Why mkdir failed, naming the ancestor at fault (a read-only home, a file)."""
    if (blocker := _file_in_the_way(folder)) is not None:
        return f"{blocker} is not a folder"
    reason = error.strerror or str(error)
    if error.filename and error.filename != str(folder):
        return f"{reason}: {error.filename}"
    return reason


def install_dir(version: str = LANGUAGETOOL_VERSION) -> Path:
    """Where LanguageTool is installed: $ESSAYCOACH_LANGUAGETOOL_DIR, else under the data home."""
    configured = os.environ.get(INSTALL_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    return data_home() / f"languagetool-{version}"


def find_installation(version: str = LANGUAGETOOL_VERSION) -> Installation | None:
    """The finished install, or None when `essaycoach languagetool install` has not run."""
    directory = install_dir(version)
    marker = directory / MARKER
    if not marker.is_file():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        return Installation(directory, data["version"], data["method"], data["classpath"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


# ---------------------------------------------------------------------------- java


_JAVA_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')


def java_major(java: str) -> int | None:
    """Major version of a java binary (8 for "1.8.0_x", 17 for "17.0.2"); None if it fails."""
    try:
        result = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = _JAVA_VERSION.search(result.stderr + result.stdout)
    if not match:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2):
        major = int(match.group(2))
    return major


def _java_candidates() -> list[str]:
    candidates = []
    if os.environ.get("ESSAYCOACH_JAVA"):
        candidates.append(os.environ["ESSAYCOACH_JAVA"])
    if os.environ.get("JAVA_HOME"):
        candidates.append(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"))
    on_path = shutil.which("java")
    if on_path:
        candidates.append(on_path)
    jvm_root = Path("/usr/lib/jvm")
    if jvm_root.is_dir():
        candidates.extend(str(p / "bin" / "java") for p in sorted(jvm_root.iterdir()))
    return list(dict.fromkeys(candidates))


def find_java(candidates: list[str] | None = None) -> Java:
    """The first Java 17+ among `candidates`, by default $ESSAYCOACH_JAVA, $JAVA_HOME, PATH
    and /usr/lib/jvm/*.

    Raises EngineError naming what was found when none is new enough.
    """
    too_old = []
    for candidate in _java_candidates() if candidates is None else candidates:
        if not Path(candidate).is_file():
            continue
        major = java_major(candidate)
        if major is None:
            continue
        if major >= MIN_JAVA:
            return Java(candidate, major)
        too_old.append(f"{candidate} is Java {major}")
    if too_old:
        raise EngineError(
            f"LanguageTool needs Java {MIN_JAVA} or newer, found only: {'; '.join(too_old)} "
            "(set JAVA_HOME or ESSAYCOACH_JAVA to a newer one)"
        )
    raise EngineError(
        f"LanguageTool needs Java {MIN_JAVA} or newer and no java was found "
        "(install a JDK/JRE 17+, or set JAVA_HOME)"
    )


# ------------------------------------------------------------------------- install


def _pom(version: str) -> str:
    modules = "\n".join(
        "    <dependency><groupId>org.languagetool</groupId>"
        f"<artifactId>language-{code}</artifactId><version>{version}</version></dependency>"
        for code in _LANGUAGE_MODULES
    )
    return f"""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.essaycoach</groupId>
  <artifactId>languagetool-server-bundle</artifactId>
  <version>{version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.languagetool</groupId><artifactId>languagetool-server</artifactId>
      <version>{version}</version>
      <exclusions>
        <exclusion><groupId>org.languagetool</groupId><artifactId>language-all</artifactId></exclusion>
      </exclusions>
    </dependency>
{modules}
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>{_DEPENDENCY_PLUGIN}</version>
      </plugin>
    </plugins>
  </build>
</project>
"""


def _install_with_maven(staging: Path, version: str, mvn: str) -> str:
    (staging / "pom.xml").write_text(_pom(version), encoding="utf-8")
    command = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(staging / "pom.xml"),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={staging / 'lib'}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = [ln for ln in (result.stdout + result.stderr).splitlines() if "ERROR" in ln]
        reason = lines[0] if lines else f"mvn exited with {result.returncode}"
        raise EngineError(f"LanguageTool install from Maven Central failed: {reason.strip()}")
    jars = list((staging / "lib").glob("languagetool-server-*.jar"))
    if not jars:
        raise EngineError(
            "LanguageTool install from Maven Central produced no languagetool-server jar"
        )
    return "lib/*"


def _install_with_download(staging: Path, version: str) -> str:
    """language-tool-python's own download (needs the LanguageTool download site)."""
    try:
        from language_tool_python.download_lt import LocalLanguageTool
    except ImportError as error:  # pragma: no cover - the dependency is declared
        raise EngineError(f"language-tool-python is not importable: {error}") from None
    local = LocalLanguageTool.from_version_name(version)
    try:
        local.download()
    except Exception as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise EngineError(f"LanguageTool download failed: {first_line}") from None
    source = Path(local.get_directory_path())
    shutil.copytree(source, staging / "languagetool", dirs_exist_ok=True)
    return "languagetool/languagetool-server.jar"


def install(
    method: str = "auto", force: bool = False, version: str = LANGUAGETOOL_VERSION
) -> Installation:
    """Install LanguageTool `version`; a no-op when it is already installed (unless `force`).

    method: "maven" (Maven Central via `mvn`), "download" (language-tool-python's
    download from the LanguageTool site) or "auto" (maven when `mvn` is on PATH).
    """
    if method not in ("auto", "maven", "download"):
        raise EngineError(f"unknown install method {method!r} (auto, maven or download)")
    existing = find_installation(version)
    if existing and not force:
        return existing
    mvn = shutil.which("mvn")
    if method == "auto":
        method = "maven" if mvn else "download"
    if method == "maven" and not mvn:
        raise EngineError("`mvn` is not on PATH: install Maven, or use --method download")

    target = install_dir(version)
    moved_by = INSTALL_DIR_ENV if os.environ.get(INSTALL_DIR_ENV) else "ESSAYCOACH_HOME"
    data_folder(target.parent, moved_by)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        started = time.monotonic()
        if method == "maven":
            classpath = _install_with_maven(staging, version, mvn or "mvn")
        else:
            classpath = _install_with_download(staging, version)
        marker = {
            "version": version,
            "method": method,
            "classpath": classpath,
            "seconds": round(time.monotonic() - started, 1),
        }
        (staging / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    installation = find_installation(version)
    if installation is None:  # pragma: no cover - the marker was just written
        raise EngineError(f"{target}: LanguageTool install left no {MARKER}")
    return installation


def classpath_for(installation: Installation) -> str:
    """The java -cp value, with the install directory resolved (jar wildcards kept for java)."""
    return os.pathsep.join(
        str(installation.directory / part) for part in installation.classpath.split(os.pathsep)
    )
