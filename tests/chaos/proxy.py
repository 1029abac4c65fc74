"""A loopback TCP proxy in front of the broker.

The broker advertises the proxy's address, so every Kafka client (the services and the load
generator) connects through it, and the fault injector can cut, hold, slow or black-hole their
connections.  The proxy runs on a thread and event loop of its own; every fault is thread-safe.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

Writer = asyncio.StreamWriter


class Proxy:
    def __init__(self, listen_port: int, target_port: int) -> None:
        self.listen_port, self.target_port = listen_port, target_port
        self._latency = 0.0  # seconds per chunk
        self._held_until = 0.0  # loop time until which nothing is forwarded
        self._refusing = False
        self._black_hole = False
        self._writers: set[Writer] = set()
        self._lost: set[Writer] = set()  # connections whose bytes a black hole swallowed
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chaos-proxy", daemon=True)

    # -- the faults -----------------------------------------------------------------------------
    def cut(self, seconds: float) -> None:
        """Abort every open connection and refuse new ones for ``seconds``."""

        def cut() -> None:
            self._refusing = True
            for writer in list(self._writers):
                writer.transport.abort()
            self._loop.call_later(seconds, lambda: setattr(self, "_refusing", False))

        self._call(cut)

    def hold(self, seconds: float) -> None:
        """Forward nothing for ``seconds``, then everything held: every connection stalls, none breaks."""
        self._call(lambda: setattr(self, "_held_until", self._loop.time() + seconds))

    def slow(self, latency: float) -> None:
        """``latency`` seconds before each chunk, until healed."""
        self._call(lambda: setattr(self, "_latency", latency))

    def black_hole(self) -> None:
        """Accept connections and bytes, forward and answer nothing, until healed."""
        self._call(lambda: setattr(self, "_black_hole", True))

    def heal(self) -> None:
        """Everything back to normal; connections that lost bytes to a black hole are aborted (as
        their peers would eventually time them out)."""

        def heal() -> None:
            self._latency, self._held_until = 0.0, 0.0
            self._refusing = self._black_hole = False
            for writer in list(self._lost):
                writer.transport.abort()
            self._lost.clear()

        self._call(heal)

    # -- the plumbing ---------------------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(5):
            raise RuntimeError("the chaos proxy did not start")

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def _call(self, action: Callable[[], None]) -> None:
        self._loop.call_soon_threadsafe(action)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self.listen_port)
        )
        self._ready.set()
        self._loop.run_forever()
        server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: Writer) -> None:
        if self._refusing:
            writer.transport.abort()
            return
        self._writers.add(writer)
        if self._black_hole:
            self._lost.add(writer)
            await self._pipe(reader, None, (writer,))
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            self._writers.discard(writer)
            writer.transport.abort()
            return
        self._writers.add(upstream_writer)
        pair = (writer, upstream_writer)
        await asyncio.gather(
            self._pipe(reader, upstream_writer, pair), self._pipe(upstream_reader, writer, pair)
        )

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: Writer | None, pair: tuple[Writer, ...]
    ) -> None:
        try:
            while chunk := await reader.read(65536):
                if self._black_hole or writer is None:
                    self._lost.update(pair)
                    continue
                if (held := self._held_until - self._loop.time()) > 0:
                    await asyncio.sleep(held)
                if self._latency:
                    await asyncio.sleep(self._latency)
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            for end in pair:
                self._writers.discard(end)
                self._lost.discard(end)
                end.close()
