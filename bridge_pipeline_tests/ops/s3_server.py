"""An S3 (and Secrets Manager) emulator on 127.0.0.1: moto's server mode in a child process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import boto3
import httpx

REGION = "eu-west-1"
# Any non-empty pair works with the emulator; real-looking shapes keep botocore's signer happy.
ACCESS_KEY_ID = "bridge-emulator-access-key"
SECRET_ACCESS_KEY = "emulator-secret-access-key-0123456789abcd"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class MotoServer:
    """One running emulator; stopped by its own PID."""

    process: subprocess.Popen
    port: int
    startup_seconds: float

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(cls, timeout_s: float = 30.0) -> MotoServer:
        port = _free_port()
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "false"},
        )
        server = cls(process=process, port=port, startup_seconds=0.0)
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"moto server on port {port} exited with code {process.returncode}")
            try:
                httpx.get(f"{server.endpoint_url}/moto-api/", timeout=1.0)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    server.stop()
                    raise RuntimeError(f"moto server on port {port} did not answer within {timeout_s} s")
                time.sleep(0.1)
        server.startup_seconds = time.perf_counter() - started
        return server

    def env(self) -> dict[str, str]:
        """Environment that points boto3 (and so dagster-aws) at this emulator."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        }

    def client(self, service: str):
        return boto3.client(
            service,
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
