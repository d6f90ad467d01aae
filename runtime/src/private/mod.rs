//! Run-time support for the code `py!` expands to. Not a public API: only generated code calls it.

mod attrs;
mod call;
mod cells;
mod class_def;
mod classes;
mod collector;
mod contains;
mod control;
mod display;
mod exceptions;
mod fstring;
mod function;
mod import;
mod lookup;
mod loops;
mod matching;
mod numbers;
mod ops;
mod resumable;
pub(crate) mod site;
mod strings;
#[cfg(test)]
mod testing;
mod values;
mod wrap;

pub use crate::__pycall_intern as intern;
/// What the expansion names through `__pycall` (see `site`), in one token each.
pub use ::core::option::Option::{None, Some};
pub use ::core::result::Result::{Err, Ok};
pub use pyo3;
pub use pyo3::types::PyAnyMethods;

#[cfg(feature = "asyncio")]
pub use crate::asyncio::{evaluate_await, evaluate_await_as};
pub use attrs::{delattr, getattr, getattr_at, setattr};
pub use call::{CallArgs, KwSite, call, call_len, call_method, call_sorted};
pub use cells::{
    cell_clear, cell_delete, cell_get, cell_get_local, cell_get_opt, cell_new, cell_set, cell_with,
    delete, load, load_ref,
};
pub use class_def::{ClassBuilder, class_begin, ns_delete, ns_load, ns_store, super_zero};
pub use classes::{
    AttrDirect, AttrNone, AttrOf, ClassInfo, Field, class_eq, class_hash, class_repr, has_field,
};
pub use contains::{InElement, RustContains, RustIn};
pub use control::{Flow, boundary, enter, exit, flow_normal, returned};
pub use display::{
    dict_update, list, list_extend, list_to_tuple, new_dict, new_list, new_set, parts, set,
    set_extend, slice, tuple, unpack,
};
pub use exceptions::{
    assertion_error, exception_matches, exception_value, handling, handling_async, internal_error,
    memory_error, prime_errors, raise,
};
pub use fstring::{format_value, join_str};
pub use function::{LambdaSpec, capture, function_annotations, function_doc, lambda};
pub use import::{import_cached, import_from};
pub use lookup::AttrSite;
pub use loops::{ForIter, tick};
pub use matching::{
    captured, mapping_rest, match_class, match_item, match_keys, match_len, match_mapping,
    match_sequence, match_unpack, match_value,
};
pub use numbers::{add, compare, compare_test, floor_div, mul, rem, sub, true_div};
pub use ops::{InplaceOp, contains, get_item, inplace, is, is_not, not, not_contains, pow, truthy};
#[cfg(feature = "asyncio")]
pub(crate) use resumable::Coroutine;
pub use resumable::{
    Awaited, Co, Kind, Slot, aenter, aexit, aiter, anext, await_, await_call, call_awaited,
    resumable, slot_clear, slot_delete, slot_get, slot_get_opt, slot_put, slot_set, suspend,
    suspend_yield, yield_from,
};
pub use site::{Site, evaluate, evaluate_as, failed, failed_any, raise_at};
pub use values::{
    Arg, Checked, Const, Interned, ToPyChecked, boolean, checked_list, checked_str, class_name,
    docstring, ellipsis, none,
};
pub use wrap::{wrapper_call, wrapper_extract, wrapper_target, wrapper_type_error};

/// What every `py!` expansion imports, in one glob: `__pycall` and the traits its method
/// calls resolve through.
#[doc(hidden)]
pub mod scope {
    pub use super::{
        AttrDirect as _, AttrNone as _, PyAnyMethods as _, RustContains as _, ToPyChecked as _,
    };
    pub use crate::__private as __pycall;
}
