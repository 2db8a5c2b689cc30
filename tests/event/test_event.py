"""The event API: listen/listens_for/remove/contains, dispatch collections and their rules."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import pytest

from sqlwright import event
from sqlwright.event import Events, ListenerCollection, dispatcher
from sqlwright.exc import ArgumentError, InvalidRequestError


class GadgetEvents(Events):
    """A family defined by the tests only."""

    _retval_events: ClassVar[dict[str, tuple[str, ...]]] = {
        "transform": ("value",),
        "rewrite": ("statement", "parameters"),
    }
    _target_description = "a Gadget class or instance, or a Holder"

    @classmethod
    def _accept_with(cls, target: object, identifier: str) -> object | None:
        if isinstance(target, Holder):
            return target.gadget
        return super()._accept_with(target, identifier)

    def ping(self, a: Any, b: Any) -> None:
        """Fired with two values."""

    def transform(self, value: Any, extra: Any) -> Any:
        """Listeners with retval=True return the new value."""

    def rewrite(self, conn: Any, statement: str, parameters: Any, flag: bool) -> Any:
        """Listeners with retval=True return (statement, parameters)."""


class Gadget:
    dispatch = dispatcher(GadgetEvents)


class SubGadget(Gadget):
    pass


class Holder:
    """Something that is not a Gadget but maps to one, the way an Engine maps to its pool."""

    def __init__(self) -> None:
        self.gadget = Gadget()


def _emit_transform(target: Gadget, value: Any) -> Any:
    for fn in target.dispatch.transform:
        value = fn(value, "extra")
    return value


@pytest.fixture
def klass() -> type[Gadget]:
    """A fresh Gadget subclass per test, so class-level listeners never leak between tests."""

    class FreshGadget(Gadget):
        pass

    return FreshGadget


def test_instance_listener_fires_for_that_instance_only() -> None:
    one, two = Gadget(), Gadget()
    calls: list[tuple[Any, ...]] = []
    event.listen(one, "ping", lambda a, b: calls.append((a, b)))
    one.dispatch.ping(1, 2)
    two.dispatch.ping(3, 4)
    assert calls == [(1, 2)]


def test_empty_collection_is_false_and_a_tuple() -> None:
    gadget = Gadget()
    assert not gadget.dispatch.ping
    assert isinstance(gadget.dispatch.ping, ListenerCollection)
    event.listen(gadget, "ping", print)
    assert gadget.dispatch.ping
    assert list(gadget.dispatch.ping) == [print]


def test_instance_dispatch_is_stored_on_the_instance() -> None:
    gadget = Gadget()
    assert gadget.dispatch is gadget.dispatch
    assert vars(gadget)["dispatch"] is gadget.dispatch


def test_class_listener_reaches_existing_new_and_subclass_instances(klass: type[Gadget]) -> None:
    early = klass()
    assert not early.dispatch.ping  # its collection is built before the listener exists

    class Sub(klass):  # type: ignore[valid-type, misc]
        pass

    calls: list[str] = []
    event.listen(klass, "ping", lambda a, b: calls.append(a))
    early.dispatch.ping("early", None)
    klass().dispatch.ping("late", None)
    Sub().dispatch.ping("sub", None)
    Gadget().dispatch.ping("base", None)
    assert calls == ["early", "late", "sub"]


def test_class_level_dispatch_lists_class_listeners(klass: type[Gadget]) -> None:
    def on_ping(a: Any, b: Any) -> None:
        pass

    assert not klass.dispatch.ping
    event.listen(klass, "ping", on_ping)
    assert list(klass.dispatch.ping) == [on_ping]
    assert not Gadget.dispatch.ping


def test_order_base_class_then_class_then_instance_with_insert_first(
    klass: type[Gadget],
) -> None:
    class Sub(klass):  # type: ignore[valid-type, misc]
        pass

    order: list[str] = []

    def record(name: str) -> Any:
        return lambda a, b: order.append(name)

    sub = Sub()
    event.listen(sub, "ping", record("instance"))
    event.listen(sub, "ping", record("instance-inserted"), insert=True)
    event.listen(Sub, "ping", record("subclass"))
    event.listen(klass, "ping", record("base"))
    event.listen(klass, "ping", record("base-inserted"), insert=True)
    sub.dispatch.ping(None, None)
    assert order == ["base-inserted", "base", "subclass", "instance-inserted", "instance"]


def test_once_fires_a_single_time_even_across_threads() -> None:
    gadget = Gadget()
    calls: list[int] = []
    event.listen(gadget, "ping", lambda a, b: calls.append(a), once=True)
    threads = [threading.Thread(target=gadget.dispatch.ping, args=(i, None)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    gadget.dispatch.ping(99, None)
    assert len(calls) == 1


def test_named_listener_receives_keywords() -> None:
    gadget = Gadget()
    received: list[dict[str, Any]] = []
    event.listen(gadget, "ping", lambda **kw: received.append(kw), named=True)
    gadget.dispatch.ping(1, 2)
    assert received == [{"a": 1, "b": 2}]


def test_listener_without_retval_passes_the_value_through() -> None:
    gadget = Gadget()
    seen: list[Any] = []
    event.listen(gadget, "transform", lambda value, extra: seen.append(value))
    event.listen(gadget, "transform", lambda value, extra: value * 10, retval=True)
    event.listen(gadget, "transform", lambda value, extra: seen.append(value))
    assert _emit_transform(gadget, 4) == 40
    assert seen == [4, 40]


def test_retval_with_several_names_returns_a_tuple() -> None:
    gadget = Gadget()
    event.listen(gadget, "rewrite", lambda conn, statement, parameters, flag: None)
    event.listen(
        gadget,
        "rewrite",
        lambda conn, statement, parameters, flag: (statement + " -- tagged", parameters),
        retval=True,
    )
    statement, parameters = "SELECT 1", {"x": 1}
    for fn in gadget.dispatch.rewrite:
        statement, parameters = fn("conn", statement, parameters, False)
    assert (statement, parameters) == ("SELECT 1 -- tagged", {"x": 1})


def test_passthrough_accepts_keyword_arguments() -> None:
    gadget = Gadget()
    event.listen(gadget, "rewrite", lambda **kw: None, named=True)
    (fn,) = gadget.dispatch.rewrite
    assert fn("conn", "SELECT 2", parameters=(), flag=True) == ("SELECT 2", ())


def test_once_listener_on_a_retval_event_keeps_passing_values_through() -> None:
    gadget = Gadget()
    event.listen(gadget, "transform", lambda value, extra: value + 1, retval=True, once=True)
    assert _emit_transform(gadget, 1) == 2
    assert _emit_transform(gadget, 1) == 1


def test_retval_on_an_event_without_return_values_is_an_argument_error() -> None:
    with pytest.raises(ArgumentError, match=r"'ping'.*Drop retval=True.*rewrite, transform"):
        event.listen(Gadget(), "ping", print, retval=True)


def test_listens_for_registers_and_returns_the_function() -> None:
    gadget = Gadget()

    @event.listens_for(gadget, "ping", insert=True)
    def on_ping(a: Any, b: Any) -> None:
        pass

    assert on_ping.__name__ == "on_ping"
    assert event.contains(gadget, "ping", on_ping)


def test_same_function_twice_is_registered_once() -> None:
    gadget = Gadget()
    calls: list[int] = []

    def on_ping(a: Any, b: Any) -> None:
        calls.append(a)

    event.listen(gadget, "ping", on_ping)
    event.listen(gadget, "ping", on_ping)
    gadget.dispatch.ping(1, None)
    assert calls == [1]


def test_remove_and_contains_on_an_instance() -> None:
    gadget = Gadget()
    calls: list[int] = []

    def on_ping(a: Any, b: Any) -> None:
        calls.append(a)

    event.listen(gadget, "ping", on_ping)
    assert event.contains(gadget, "ping", on_ping)
    event.remove(gadget, "ping", on_ping)
    assert not event.contains(gadget, "ping", on_ping)
    assert not gadget.dispatch.ping
    gadget.dispatch.ping(1, None)
    assert calls == []


def test_remove_a_class_listener_stops_it_on_existing_instances(klass: type[Gadget]) -> None:
    calls: list[int] = []

    def on_ping(a: Any, b: Any) -> None:
        calls.append(a)

    gadget = klass()
    event.listen(klass, "ping", on_ping)
    gadget.dispatch.ping(1, None)
    assert event.contains(klass, "ping", on_ping)
    assert not event.contains(gadget, "ping", on_ping)  # registered on the class, not on it
    event.remove(klass, "ping", on_ping)
    gadget.dispatch.ping(2, None)
    assert calls == [1]
    assert not gadget.dispatch.ping


def test_remove_of_an_unregistered_function_says_what_to_pass() -> None:
    def never_registered(a: Any, b: Any) -> None:
        pass

    with pytest.raises(InvalidRequestError, match=r"never_registered.*'ping'.*same function"):
        event.remove(Gadget(), "ping", never_registered)


def test_unknown_event_name_lists_the_events_and_suggests_a_spelling() -> None:
    with pytest.raises(InvalidRequestError) as info:
        event.listen(Gadget(), "pong", print)
    message = str(info.value)
    assert "No event named 'pong' for Gadget object" in message
    assert "Did you mean 'ping'?" in message
    assert "ping, rewrite, transform" in message


def test_unsupported_target_is_an_invalid_request() -> None:
    with pytest.raises(InvalidRequestError, match=r"int object does not offer the 'ping' event"):
        event.listen(42, "ping", print)
    with pytest.raises(InvalidRequestError, match=r"not an event target.*GadgetEvents"):
        event.listen(object(), "no_such_event_anywhere", print)


def test_event_name_must_be_a_string() -> None:
    with pytest.raises(ArgumentError, match="must be a string"):
        event.listen(Gadget(), 3, print)  # type: ignore[arg-type]


def test_listener_must_be_callable() -> None:
    with pytest.raises(ArgumentError, match="callable"):
        event.listen(Gadget(), "ping", "not a function")  # type: ignore[arg-type]


def test_unknown_listen_option_is_rejected() -> None:
    with pytest.raises(ArgumentError, match="raw"):
        event.listen(Gadget(), "ping", print, raw=True)


def test_accept_with_maps_another_object_to_its_target() -> None:
    holder = Holder()
    calls: list[Any] = []
    event.listen(holder, "ping", lambda a, b: calls.append(a))
    holder.gadget.dispatch.ping("via holder", None)
    assert calls == ["via holder"]
    assert event.contains(holder, "ping", calls.append) is False


def test_propagate_is_stored_on_the_listener_record(klass: type[Gadget]) -> None:
    event.listen(klass, "ping", print, propagate=True)
    (record,) = klass.dispatch._listener_records("ping")
    assert record.propagate is True
    assert record.fn is print


def test_update_copies_instance_listeners() -> None:
    source, copy = Gadget(), Gadget()
    calls: list[str] = []
    event.listen(source, "ping", lambda a, b: calls.append("plain"))
    event.listen(source, "ping", lambda a, b: calls.append("inserted"), insert=True)
    copy.dispatch._update(source.dispatch)
    copy.dispatch.ping(None, None)
    assert calls == ["inserted", "plain"]


def test_update_refuses_class_level_dispatches() -> None:
    with pytest.raises(InvalidRequestError, match="instance-level"):
        Gadget().dispatch._update(Gadget.dispatch)


def test_a_listener_added_during_an_emission_waits_for_the_next_one() -> None:
    gadget = Gadget()
    calls: list[str] = []

    def late(a: Any, b: Any) -> None:
        calls.append("late")

    def adder(a: Any, b: Any) -> None:
        calls.append("adder")
        event.listen(gadget, "ping", late)

    event.listen(gadget, "ping", adder)
    gadget.dispatch.ping(None, None)
    assert calls == ["adder"]
    gadget.dispatch.ping(None, None)
    assert calls == ["adder", "adder", "late"]


def test_unknown_dispatch_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="pong"):
        _ = Gadget().dispatch.pong


def test_retval_declaration_is_checked_when_the_family_is_defined() -> None:
    with pytest.raises(TypeError, match="unknown event 'missing'"):

        class BrokenEvents(Events):
            _retval_events: ClassVar[dict[str, tuple[str, ...]]] = {"missing": ("x",)}

            def present(self, x: Any) -> None:
                """An event."""

    with pytest.raises(TypeError, match=r"unknown: \['y'\]"):

        class AlsoBrokenEvents(Events):
            _retval_events: ClassVar[dict[str, tuple[str, ...]]] = {"present": ("y",)}

            def present(self, x: Any) -> None:
                """An event."""


def test_slotted_target_without_dict_is_a_clear_type_error() -> None:
    class Slotted:
        __slots__ = ()
        dispatch = dispatcher(GadgetEvents)

    with pytest.raises(TypeError, match="need a __dict__"):
        _ = Slotted().dispatch
