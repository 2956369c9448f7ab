"""Ingest: read inputs, assign stories, extract claims, store each document with its claims.

    from armstrace.ingest.service import ingest
    from armstrace.store import open_store

    with open_store() as store:
        summary = ingest(["examples/"], store)
        print(summary.new, summary.duplicate, summary.claims)

Each document is stored in its own transaction together with its claims, and a document whose
identity and content hash are already stored is skipped *before* extraction. So a run killed at
any moment (kill -9 included) leaves only whole documents behind, and running the same command
again skips what was stored and completes the rest, with the same result as a run that was
never interrupted. One unreadable input or one failing document costs that input only: it is
counted as failed, its one-line error is kept, and the run carries on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.exc import SQLAlchemyError

from armstrace.errors import ArmstraceError
from armstrace.ingest.fetch import Fetcher
from armstrace.ingest.limits import DEFAULT_MAX_BYTES
from armstrace.ingest.sources import (
    StoreValidators,
    estimate_total,
    is_url,
    make_fetcher,
    read_input,
)
from armstrace.ingest.stories import StoryAssigner, story_assigner
from armstrace.models import Claim, Document
from armstrace.store.records import RunCounts
from armstrace.store.repository import Store, content_hash

if TYPE_CHECKING:
    from armstrace.extract.pipeline import Pipeline

__all__ = ["Extractor", "IngestSummary", "Progress", "estimate_total", "ingest", "is_url"]

#: a claim extractor: the default pipeline, any `Pipeline`, or a plain function
Extractor = Callable[[Document], Sequence[Claim]]
Status = Literal["new", "duplicate", "updated", "failed"]


@dataclass(slots=True)
class IngestSummary(RunCounts):
    """What one `ingest` call did: the run's `RunCounts` (documents by outcome, claims stored,
    error lines) and the id of the run row that records them.

    It extends `RunCounts` rather than repeating its fields, so what the caller is told and
    what the store records for the run (`Store.finish_run`) cannot drift apart.
    """

    run_id: int | None = None

    @property
    def documents(self) -> int:
        """Documents handled, whatever their outcome."""
        return self.new + self.duplicate + self.updated + self.failed

    def to_counts(self) -> RunCounts:
        """The counts alone, as a plain `RunCounts` with its own copy of the error lines."""
        counts = {f.name: getattr(self, f.name) for f in fields(RunCounts)}
        counts["errors"] = list(self.errors)
        return RunCounts(**counts)


@dataclass(frozen=True, slots=True)
class Progress:
    """One document handled: passed to `on_progress` after each, success or not."""

    done: int
    total: int | None
    status: Status
    name: str
    claims: int = 0
    error: str | None = None


# ---------------------------------------------------------------------------------------------
# the service


def _extractor(pipeline: Pipeline | Extractor | None) -> tuple[Extractor, str | None, str | None]:
    """A claims function and the (pipeline version, lexicon version) to record with claims."""
    from armstrace.extract.pipeline import PIPELINE_VERSION, default_pipeline

    pipe: Any = default_pipeline() if pipeline is None else pipeline
    lexicons = getattr(pipe, "lexicons", None)
    lexicon_version = getattr(lexicons, "version", None)
    if hasattr(pipe, "analyse"):
        return pipe.analyse, PIPELINE_VERSION, lexicon_version
    return pipe, getattr(pipe, "pipeline_version", None), lexicon_version


def ingest(
    inputs: Iterable[str] | str,
    store: Store,
    *,
    pipeline: Pipeline | Extractor | None = None,
    allow_private: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    conditional: bool = False,
    fetcher: Fetcher | None = None,
    stories: StoryAssigner | None = None,
    total: int | None = None,
    debug: bool = False,
    fuse: bool = True,
) -> IngestSummary:
    """Ingest `inputs` (paths, folders, "-", page and feed URLs) into `store`.

    See the module docstring. `pipeline` is the claim extractor (default: the default
    pipeline); `allow_private` lets URLs reach loopback and private addresses; `include` and
    `exclude` are glob filters for folders; `conditional` sends the validators the store keeps
    for each URL, so an unchanged feed is not downloaded again (`armstrace watch`); `fetcher`
    replaces the HTTP client (tests); `stories` the syndication assigner (default:
    `story_assigner(store)`); `total`, if known, is passed on to `on_progress`; `debug`
    re-raises a document's extraction or storage error instead of counting it as failed;
    `fuse` re-fuses the records of what the run stored (`armstrace.fuse.refresh_run`).
    """
    inputs = [inputs] if isinstance(inputs, str) else list(inputs)
    extract, pipeline_version, lexicon_version = _extractor(pipeline)
    stories = stories or story_assigner(store)
    validators = StoreValidators(store)
    own_fetcher = fetcher is None
    if fetcher is None:
        fetcher = make_fetcher(allow_private=allow_private, max_bytes=max_bytes,
                               cache=validators)
    summary = IngestSummary()
    summary.run_id = store.start_run(
        inputs, pipeline_version=pipeline_version, lexicon_version=lexicon_version
    )
    done = 0

    def report(status: Status, name: str, claims: int = 0, error: str | None = None) -> None:
        nonlocal done
        done += 1
        if status == "failed":
            summary.failed += 1
            summary.errors.append(error or f"{name}: failed")
        else:
            setattr(summary, status, getattr(summary, status) + 1)
            summary.claims += claims
        if on_progress is not None:
            on_progress(Progress(done, total, status, name, claims, error))

    status = "failed"
    try:
        for source in inputs:
            failed_before = summary.failed
            items = read_input(source, fetcher, conditional=conditional, max_bytes=max_bytes,
                               include=include, exclude=exclude)
            for item in items:
                if isinstance(item, ArmstraceError):
                    report("failed", source, error=str(item))
                    continue
                report(*_ingest_one(item, store, extract, stories, summary.run_id,
                                    pipeline_version, lexicon_version, debug))
            # a feed's validators are kept only once everything it held is stored
            if summary.failed == failed_before:
                validators.commit()
            else:
                validators.discard()
        if fuse and (summary.new or summary.updated) and summary.run_id is not None:
            from armstrace.fuse.incremental import refresh_run

            refresh_run(store, summary.run_id)
        status = "finished"
    except BaseException:
        status = "interrupted" if isinstance(sys.exc_info()[1], KeyboardInterrupt) else "failed"
        raise
    finally:
        if own_fetcher:
            fetcher.close()
        try:
            store.finish_run(summary.run_id, summary.to_counts(), status=status)
        except SQLAlchemyError:
            if status == "finished":
                raise
    return summary


def _ingest_one(
    doc: Document,
    store: Store,
    extract: Extractor,
    stories: StoryAssigner,
    run_id: int | None,
    pipeline_version: str | None,
    lexicon_version: str | None,
    debug: bool = False,
) -> tuple[Status, str, int, str | None]:
    try:
        if store.stored_hash(doc.id, doc.url) == content_hash(doc.text):
            return "duplicate", doc.id, 0, None
    except SQLAlchemyError as e:
        return "failed", doc.id, 0, f"{doc.id}: not stored: {_reason(e)}"
    try:
        claims = list(extract(doc))
    except Exception as e:  # one broken document must not stop the batch
        if debug:
            raise
        return "failed", doc.id, 0, f"{doc.id}: extraction failed: {type(e).__name__}: {e}"
    try:
        # after extraction, the likeliest failure, so the index rarely holds a document that
        # was never stored (it is rebuilt from the store on the next run in any case)
        story = stories.assign(doc)
        res = store.add_document_with_claims(
            doc, claims, story=story, run_id=run_id,
            pipeline_version=pipeline_version, lexicon_version=lexicon_version,
        )
    except (SQLAlchemyError, ArmstraceError) as e:
        if debug:
            raise
        return "failed", doc.id, 0, f"{doc.id}: not stored: {_reason(e)}"
    return res.outcome, doc.id, res.claims, None


def _reason(e: BaseException) -> str:
    orig = getattr(e, "orig", None)
    text = str(orig if orig is not None else e).strip()
    return text.splitlines()[0] if text else type(e).__name__
