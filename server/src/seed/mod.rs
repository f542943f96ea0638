//! Loading data: the reference geography, the Ministry's court list, demo data.
