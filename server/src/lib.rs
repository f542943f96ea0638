//! The e-MJPM server: configuration, HTTP routes, and the data-loading commands.

pub mod seed;
