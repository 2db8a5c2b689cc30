"""Errors the ORM raises; all derive from :class:`sqlwright.exc.SQLWrightError`."""

from __future__ import annotations

from sqlwright import exc as sa_exc

__all__ = [
    "DetachedInstanceError",
    "FlushError",
    "MappedAnnotationError",
    "NoResultFound",
    "MultipleResultsFound",
    "ObjectDeletedError",
    "StaleDataError",
    "UnmappedClassError",
    "UnmappedColumnError",
    "UnmappedError",
    "UnmappedInstanceError",
]

NoResultFound = sa_exc.NoResultFound
MultipleResultsFound = sa_exc.MultipleResultsFound


class UnmappedError(sa_exc.InvalidRequestError):
    """An ORM operation was given a class or object that is not mapped."""


class UnmappedClassError(UnmappedError):
    """A class that is not mapped was used where a mapped class is required."""

    def __init__(self, cls: type, msg: str | None = None) -> None:
        self.cls = cls
        super().__init__(msg or (
            f"Class {cls.__module__}.{cls.__qualname__} is not mapped; subclass your "
            "DeclarativeBase (with a __tablename__) or map it with registry.map_imperatively()"))


class UnmappedInstanceError(UnmappedError):
    """An object whose class is not mapped was given to the ORM."""

    def __init__(self, obj: object, msg: str | None = None) -> None:
        self.obj = obj
        cls = type(obj)
        super().__init__(msg or (
            f"Class {cls.__module__}.{cls.__qualname__} is not mapped, so its instances cannot "
            "be used with the ORM; pass an instance of a mapped class"))


class UnmappedColumnError(sa_exc.InvalidRequestError):
    """A column that no attribute of the mapper maps was asked for."""


class MappedAnnotationError(sa_exc.ArgumentError):
    """A ``Mapped[...]`` annotation could not be turned into a column type."""


class DetachedInstanceError(sa_exc.InvalidRequestError):
    """An unloaded attribute was read on an object that belongs to no Session."""


class ObjectDeletedError(sa_exc.InvalidRequestError):
    """An expired object's row no longer exists in the database."""


class StaleDataError(sa_exc.SQLWrightError):
    """An UPDATE or DELETE matched a different number of rows than the flush expected.

    With a ``version_id_col`` this is how a lost update shows: another transaction changed or
    deleted the row first.
    """


class FlushError(sa_exc.InvalidRequestError):
    """The unit of work could not plan or carry out a flush."""


# --- SESSION ---
# --- end SESSION ---
