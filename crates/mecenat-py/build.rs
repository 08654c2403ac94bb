//! Gives the crate pyo3's cfgs of the target interpreter (`Py_LIMITED_API`, `PyPy`,
//! `GraalPy`, `Py_3_*`): src/pystr.rs writes a `str`'s characters only where CPython's
//! layout is available.

fn main() {
    pyo3_build_config::use_pyo3_cfgs();
}
