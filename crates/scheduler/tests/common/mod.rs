//! Helpers shared by the scheduler's tests and examples.

pub mod guests;
