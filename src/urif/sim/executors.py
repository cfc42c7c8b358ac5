"""Executors: run chunks of paths in this process (one thread or a pool of threads), Dask or Ray.

Owns the one place that imports ``dask.distributed`` and ``ray``, lazily, inside the
executor that needs them. Every executor maps ``run_chunk`` over the same list of chunks
and returns results in chunk order, so the numbers never depend on which one ran them.
Running on a real cluster is configuration: pass the scheduler address (Dask) or the
Ray address; without one a local two-worker cluster is started and shut down.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from urif.core.errors import InvalidInput
from urif.sim.engine import Compiled, run_chunk

Blocks = Sequence[tuple[np.random.SeedSequence, int]]
ChunkResult = tuple[dict[str, Any], dict[str, Any]]
EXECUTORS = ("local", "dask", "ray")


class Executor(Protocol):
    """Runs ``run_chunk(compiled, blocks)`` for each chunk, yielding results in order."""

    name: str

    def map(self, compiled: Compiled, chunks: Sequence[Blocks]) -> Iterator[ChunkResult]:
        """Results of every chunk, in chunk order."""
        ...

    def describe(self) -> dict[str, Any]:
        """Worker details for ``meta`` (not part of the deterministic result)."""
        ...


@dataclass(slots=True)
class LocalExecutor:
    """This process: one thread (``workers == 1``) or a pool of ``workers`` threads.

    Threads, not processes: the draws and the compiled model release the GIL, so two
    threads use two cores without pickling each chunk's results across processes.
    """

    workers: int = 1
    name: str = "local"

    def map(self, compiled: Compiled, chunks: Sequence[Blocks]) -> Iterator[ChunkResult]:
        """Results of every chunk, in chunk order."""
        if self.workers <= 1 or len(chunks) <= 1:
            for blocks in chunks:
                yield run_chunk(compiled, blocks)
            return
        # a bounded window of chunks in flight: finished results are handed on and dropped,
        # so memory holds a few chunks, not every chunk of the run
        window = 2 * self.workers
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            waiting = iter(chunks)
            running = deque(
                pool.submit(run_chunk, compiled, blocks)
                for blocks in itertools.islice(waiting, window)
            )
            while running:
                result = running.popleft().result()
                following = next(waiting, None)
                if following is not None:
                    running.append(pool.submit(run_chunk, compiled, following))
                yield result
                del result

    def describe(self) -> dict[str, Any]:
        """Worker count."""
        return {"executor": self.name, "workers": self.workers}


@dataclass(slots=True)
class DaskExecutor:
    """Dask distributed: a ``LocalCluster`` of ``workers`` processes, or ``address``."""

    workers: int = 2
    address: str | None = None
    name: str = "dask"

    def map(self, compiled: Compiled, chunks: Sequence[Blocks]) -> Iterator[ChunkResult]:
        """Results of every chunk, in chunk order."""
        try:
            import dask.distributed
        except ImportError as error:  # pragma: no cover - dask is a declared extra
            raise InvalidInput(
                f"executor dask: not installed ({error}); pip install 'urif[dask]'"
            ) from None
        distributed: Any = dask.distributed
        client_type, cluster_type = distributed.Client, distributed.LocalCluster
        cluster = None
        if self.address:
            client = client_type(self.address)
        else:
            cluster = cluster_type(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = client_type(cluster)
        try:
            shared = client.scatter(compiled, broadcast=True)
            futures = deque(
                client.submit(run_chunk, shared, blocks, pure=False) for blocks in chunks
            )
            while futures:  # each future dropped once read: the cluster frees the chunk
                result = futures.popleft().result()
                yield result
                del result
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def describe(self) -> dict[str, Any]:
        """Workers and scheduler."""
        return {"executor": self.name, "workers": self.workers, "address": self.address}


@dataclass(slots=True)
class RayExecutor:
    """Ray: a local instance with ``workers`` CPUs, or the cluster at ``address``."""

    workers: int = 2
    address: str | None = None
    name: str = "ray"

    def map(self, compiled: Compiled, chunks: Sequence[Blocks]) -> Iterator[ChunkResult]:
        """Results of every chunk, in chunk order."""
        try:
            import ray
        except ImportError as error:  # pragma: no cover - ray is a declared extra
            raise InvalidInput(
                f"executor ray: not installed ({error}); pip install 'urif[ray]'"
            ) from None
        started = not ray.is_initialized()
        if started:
            if self.address:
                ray.init(address=self.address, include_dashboard=False, log_to_driver=False)
            else:
                ray.init(num_cpus=self.workers, include_dashboard=False, log_to_driver=False)
        try:
            remote = ray.remote(num_cpus=1)(run_chunk)
            shared = ray.put(compiled)
            refs = deque(remote.remote(shared, blocks) for blocks in chunks)
            while refs:  # each reference dropped once read: the object store frees the chunk
                result = ray.get(refs.popleft())
                yield result
                del result
        finally:
            if started:
                ray.shutdown()

    def describe(self) -> dict[str, Any]:
        """Workers and address."""
        return {"executor": self.name, "workers": self.workers, "address": self.address}


def make_executor(name: str, workers: int = 1, address: str | None = None) -> Executor:
    """The executor called ``name`` (``local``, ``dask`` or ``ray``)."""
    if name == "local":
        return LocalExecutor(workers=workers)
    if name == "dask":
        return DaskExecutor(workers=max(1, workers), address=address)
    if name == "ray":
        return RayExecutor(workers=max(1, workers), address=address)
    raise InvalidInput(f"executor: expected one of {', '.join(EXECUTORS)}, got {name!r}")


def chunked(blocks: Blocks, chunk_size: int) -> list[list[tuple[np.random.SeedSequence, int]]]:
    """Group blocks into chunks of about ``chunk_size`` paths (whole blocks, at least one)."""
    if chunk_size < 1:
        raise InvalidInput(f"chunk size: expected at least 1, got {chunk_size}")
    out: list[list[tuple[np.random.SeedSequence, int]]] = []
    current: list[tuple[np.random.SeedSequence, int]] = []
    size = 0
    for block in blocks:
        current.append(block)
        size += block[1]
        if size >= chunk_size:
            out.append(current)
            current, size = [], 0
    if current:
        out.append(current)
    return out


ProgressFn = Callable[[int, int], None]
