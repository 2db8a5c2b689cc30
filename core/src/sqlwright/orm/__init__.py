"""sqlwright.orm: declarative mapping, the Session and the unit of work."""

from __future__ import annotations

__all__: list[str] = []

# --- MAPPING ---
from sqlwright.orm import exc
from sqlwright.orm.attributes import (
    InstrumentedAttribute,
    QueryableAttribute,
    flag_dirty,
    flag_modified,
    get_history,
    set_committed_value,
)
from sqlwright.orm.base import (
    NO_VALUE,
    Mapped,
    class_mapper,
    instance_state,
    object_mapper,
)
from sqlwright.orm.decl_api import (
    DeclarativeBase,
    DeclarativeBaseNoMeta,
    DeclarativeMeta,
    MappedAsDataclass,
    as_declarative,
    declarative_base,
    declared_attr,
    has_inherited_table,
    registry,
)
from sqlwright.orm.hybrid import hybrid_method, hybrid_property
from sqlwright.orm.mapper import Mapper
from sqlwright.orm.mapper_events import (
    AttributeEvents,
    InstanceEvents,
    MapperEvents,
)
from sqlwright.orm.properties import (
    ColumnProperty,
    MappedColumn,
    MappedSQLExpression,
    MapperProperty,
    column_property,
    deferred,
    mapped_column,
)
from sqlwright.orm.state import AttributeState, History, InstanceState

__all__ += [
    "NO_VALUE", "AttributeEvents", "AttributeState", "ColumnProperty", "DeclarativeBase",
    "DeclarativeBaseNoMeta", "DeclarativeMeta", "History", "InstanceEvents", "InstanceState",
    "InstrumentedAttribute", "Mapped", "MappedAsDataclass", "MappedColumn",
    "MappedSQLExpression", "Mapper", "MapperEvents", "MapperProperty", "QueryableAttribute",
    "as_declarative", "class_mapper", "column_property", "declarative_base", "declared_attr",
    "deferred", "exc", "flag_dirty", "flag_modified", "get_history", "has_inherited_table",
    "hybrid_method", "hybrid_property", "instance_state", "mapped_column", "object_mapper",
    "registry", "set_committed_value",
]
# --- end MAPPING ---

# --- SESSION ---
from sqlwright.orm.session import (  # noqa: E402
    Session,
    SessionTransaction,
    close_all_sessions,
    object_session,
    scoped_session,
    sessionmaker,
)
from sqlwright.orm.session_events import SessionEvents  # noqa: E402

__all__ += ["Session", "SessionEvents", "SessionTransaction", "close_all_sessions",
            "object_session", "scoped_session", "sessionmaker"]
# --- end SESSION ---

# --- REL ---
from sqlwright.orm.collections import (  # noqa: E402
    InstrumentedList,
    InstrumentedSet,
    KeyFuncDict,
    attribute_keyed_dict,
    column_keyed_dict,
    keyfunc_mapping,
)
from sqlwright.orm.relationships import (  # noqa: E402
    CascadeOptions,
    Relationship,
    RelationshipProperty,
    backref,
    configure_mappers,
    foreign,
    relationship,
    remote,
    with_parent,
)

__all__ += ["CascadeOptions", "InstrumentedList", "InstrumentedSet", "KeyFuncDict",
            "Relationship", "RelationshipProperty", "attribute_keyed_dict", "backref",
            "column_keyed_dict", "configure_mappers", "foreign", "keyfunc_mapping",
            "relationship", "remote", "with_parent"]
# --- end REL ---

# --- LOAD ---
from sqlwright.orm.strategy_options import (  # noqa: E402
    Load,
    contains_eager,
    defaultload,
    defer,
    immediateload,
    joinedload,
    lazyload,
    load_only,
    noload,
    raiseload,
    selectin_polymorphic,
    selectinload,
    subqueryload,
    undefer,
    undefer_group,
)
from sqlwright.orm.writeonly import (  # noqa: E402
    AppenderQuery,
    DynamicMapped,
    WriteOnlyCollection,
    WriteOnlyMapped,
)

__all__ += ["AppenderQuery", "DynamicMapped", "Load", "WriteOnlyCollection",
            "WriteOnlyMapped", "contains_eager", "defaultload",
            "defer", "immediateload", "joinedload", "lazyload", "load_only", "noload",
            "raiseload", "selectin_polymorphic", "selectinload", "subqueryload", "undefer", "undefer_group"]
# --- end LOAD ---

# --- INHERIT ---
from sqlwright.orm.util import (  # noqa: E402
    AliasedClass,
    AliasedInsp,
    aliased,
    join,
    outerjoin,
    with_polymorphic,
)

__all__ += ["AliasedClass", "AliasedInsp", "aliased", "join", "outerjoin", "with_polymorphic"]
# --- end INHERIT ---
