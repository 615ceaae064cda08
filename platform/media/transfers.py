"""Moving bytes in and out of the media storages: the narrow interface the media
services use, on S3 (boto3, through the storage's own client) or on the local
filesystem (Django's Storage API), so the same services run in both setups.

Which S3 errors are worth retrying is decided here (`is_transient`): throttling,
5xx answers and connection failures are; a missing object or a refused permission
is not, and retrying it would only hide the problem.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from django.conf import settings
from django.core.files.storage import Storage

try:  # urllib3's own connection errors, which botocore sometimes lets through
    from urllib3.exceptions import ProtocolError
except ImportError:  # pragma: no cover
    ProtocolError = ConnectionError

TRANSIENT_CODES = frozenset(
    {
        "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded",
        "RequestTimeout", "RequestTimeTooSkewed", "InternalError", "ServiceUnavailable",
        "500", "502", "503", "504",
    }
)  # fmt: skip
CONNECTION_ERRORS = (
    EndpointConnectionError, ConnectionClosedError, ConnectTimeoutError, ReadTimeoutError,
    ProtocolError, ConnectionError,
)  # fmt: skip
MB = 1024 * 1024


def is_transient(exc: BaseException) -> bool:
    """True for S3 failures that a later attempt may not meet."""
    if isinstance(exc, CONNECTION_ERRORS):
        return True
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return code in TRANSIENT_CODES or status >= 500
    return False


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified: datetime


def is_s3(storage: Storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def s3_client(storage: Storage):
    return storage.connection.meta.client


def transfer_config() -> TransferConfig:
    """Multipart above the threshold, in parts of the chunk size (S3's minimum part
    is 5 MB); a 200 MB video goes up in 25 parts that are retried one by one."""
    return TransferConfig(
        multipart_threshold=getattr(settings, "MEDIA_MULTIPART_THRESHOLD", 8 * MB),
        multipart_chunksize=getattr(settings, "MEDIA_MULTIPART_CHUNKSIZE", 8 * MB),
        max_concurrency=4,
    )


def list_objects(storage: Storage, prefix: str) -> Iterator[StoredObject]:
    """Every object under `prefix` (a folder path ending with '/' or '')."""
    if is_s3(storage):
        paginator = s3_client(storage).get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=prefix):
            for item in page.get("Contents", []):
                yield StoredObject(item["Key"], item["Size"], item["LastModified"])
        return
    yield from _walk_local(storage, prefix.rstrip("/"))


def _walk_local(storage: Storage, folder: str) -> Iterator[StoredObject]:
    try:
        folders, files = storage.listdir(folder or ".")
    except FileNotFoundError:
        return
    for name in sorted(files):
        key = posixpath.join(folder, name) if folder else name
        modified = storage.get_modified_time(key)
        yield StoredObject(key, storage.size(key), modified.astimezone(UTC))
    for name in sorted(folders):
        yield from _walk_local(storage, posixpath.join(folder, name) if folder else name)


def exists(storage: Storage, key: str) -> bool:
    return storage.exists(key)


def copy_object(storage: Storage, source: str, target: str) -> None:
    """Server-side copy on S3 (no bytes through the worker); idempotent."""
    if is_s3(storage):
        s3_client(storage).copy(
            {"Bucket": storage.bucket_name, "Key": source},
            storage.bucket_name,
            target,
            Config=transfer_config(),
        )
        return
    if storage.exists(target):
        storage.delete(target)
    with storage.open(source, "rb") as handle:
        storage.save(target, handle)


def delete_objects(storage: Storage, keys: list[str]) -> None:
    """Delete keys (missing ones are fine: deleting twice leaves the same bucket)."""
    if not keys:
        return
    if is_s3(storage):
        client = s3_client(storage)
        for start in range(0, len(keys), 1000):
            batch = [{"Key": key} for key in keys[start : start + 1000]]
            answer = client.delete_objects(
                Bucket=storage.bucket_name, Delete={"Objects": batch, "Quiet": True}
            )
            if answer.get("Errors"):
                error = answer["Errors"][0]
                raise ClientError(
                    {"Error": {"Code": error.get("Code", ""), "Message": error.get("Message")}},
                    "DeleteObjects",
                )
        return
    for key in keys:
        storage.delete(key)


def upload_file(storage: Storage, key: str, handle: IO[bytes], content_type: str) -> str:
    """Store `handle` at exactly `key` (multipart above the threshold on S3)."""
    if is_s3(storage):
        params = storage.get_object_parameters(key)
        params["ContentType"] = content_type
        s3_client(storage).upload_fileobj(
            handle, storage.bucket_name, key, ExtraArgs=params, Config=transfer_config()
        )
        return key
    if storage.exists(key):
        storage.delete(key)
    return storage.save(key, handle)


def object_etag(storage: Storage, key: str) -> str:
    """The S3 ETag ("<md5>-<parts>" for a multipart upload); '' on local storage."""
    if not is_s3(storage):
        return ""
    head = s3_client(storage).head_object(Bucket=storage.bucket_name, Key=key)
    return head["ETag"].strip('"')
