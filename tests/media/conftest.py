"""A real S3 API on 127.0.0.1 (moto's server mode) for the media tests.

`moto_s3` is one server for the session; `s3_media` gives each test a fresh bucket and
switches this process's storages to it (pytest-django's `settings` fixture, so the
storages reset afterwards). `s3_media.env` makes a child process (a Celery worker, a
management command) use the same bucket.
"""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import boto3
import pytest
from moto.server import ThreadedMotoServer

from agency_platform.media.storage import BUCKET_CORS, public_read_policy
from agency_platform.settings.media import s3_storages

REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class MotoS3:
    """A moto server that tests may stop and start again on the same port."""

    port: int = field(default_factory=_free_port)
    server: ThreadedMotoServer | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint_url, region_name=REGION, **CREDENTIALS)


@dataclass
class S3Media:
    moto: MotoS3
    bucket: str
    endpoint_url: str
    client: object
    env: dict[str, str]

    def keys(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    def head(self, key: str) -> dict:
        return self.client.head_object(Bucket=self.bucket, Key=key)


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[MotoS3]:
    server = MotoS3()
    server.start()
    yield server
    server.stop()


def storages_for(endpoint_url: str, bucket: str, custom_domain: str | None = None) -> dict:
    return s3_storages(
        bucket=bucket,
        endpoint_url=endpoint_url,
        region=REGION,
        custom_domain=custom_domain,
        url_protocol="http:",
        access_key=CREDENTIALS["aws_access_key_id"],
        secret_key=CREDENTIALS["aws_secret_access_key"],
    )


@pytest.fixture
def s3_media(moto_s3: MotoS3, settings) -> S3Media:
    if moto_s3.server is None:  # a fault test stopped it
        moto_s3.start()
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    client = moto_s3.client()
    client.create_bucket(Bucket=bucket)
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read_policy(bucket)))
    client.put_bucket_cors(Bucket=bucket, CORSConfiguration=BUCKET_CORS)
    settings.STORAGES = {
        **storages_for(moto_s3.endpoint_url, bucket),
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    env = {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": moto_s3.endpoint_url,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_S3_URL_PROTOCOL": "http:",
        "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
    }
    return S3Media(
        moto=moto_s3, bucket=bucket, endpoint_url=moto_s3.endpoint_url, client=client, env=env
    )
