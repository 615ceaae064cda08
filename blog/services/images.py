"""Post sources for the importer: files, folders and zip archives (zip-slip refused,
members read in memory). Hero images are resolved, validated and de-duplicated by
practices.services.image_files, which the team import shares."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from practices.services.image_files import FileReader

POST_SUFFIX = ".md"
# Archive members are read into memory; refuse archives that would not fit sensibly.
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024


@dataclass
class PostSource:
    """One post file from disk or from inside a zip archive."""

    label: str  # shown in messages: a path, or `archive.zip/member.md`
    stem: str
    read: Callable[[], bytes]
    images: FileReader | None = None  # images shipped next to it (inside a zip)
    problem: str = ""


def iter_sources(paths: Iterable[str | Path]) -> Iterator[PostSource]:
    """Post files in the order given; folders recursively and sorted."""
    for raw_path in paths:
        path = Path(raw_path)
        if path.is_dir():
            for child in sorted(path.rglob(f"*{POST_SUFFIX}")):
                if child.is_file():
                    yield _file_source(child)
        elif path.suffix.lower() == ".zip" and path.is_file():
            yield from _zip_sources(path)
        elif path.is_file():
            yield _file_source(path)
        else:
            yield PostSource(
                label=str(path), stem=path.stem, read=bytes, problem="no such file or folder"
            )


def _file_source(path: Path) -> PostSource:
    return PostSource(label=str(path), stem=path.stem, read=path.read_bytes)


def _zip_sources(path: Path) -> Iterator[PostSource]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        yield PostSource(
            label=str(path), stem=path.stem, read=bytes, problem="not a readable zip archive"
        )
        return
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if sum(info.file_size for info in infos) > MAX_ARCHIVE_BYTES:
            yield PostSource(
                label=str(path), stem=path.stem, read=bytes, problem="the archive is too large"
            )
            return
        # Members are read into memory: nothing from the archive touches the disk.
        members = {info.filename: archive.read(info) for info in infos}
    images = _zip_reader(members)
    for name in sorted(members):
        if not name.lower().endswith(POST_SUFFIX):
            continue
        label = f"{path}/{name}"
        member = PurePosixPath(name)
        if _escapes_root(name):
            yield PostSource(
                label=label,
                stem=member.stem,
                read=bytes,
                problem="member path escapes the archive root",
            )
            continue
        data = members[name]
        yield PostSource(label=label, stem=member.stem, read=lambda data=data: data, images=images)


def _escapes_root(name: str) -> bool:
    normalised = name.replace("\\", "/")
    parts = PurePosixPath(normalised).parts
    return normalised.startswith("/") or ".." in parts or (bool(parts) and ":" in parts[0])


def _zip_reader(members: dict[str, bytes]) -> FileReader:
    def read(path: PurePosixPath) -> bytes | None:
        for candidate in (f"uploads/{path}", str(path)):
            if candidate in members and not _escapes_root(candidate):
                return members[candidate]
        return None

    return read
