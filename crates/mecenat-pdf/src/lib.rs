//! PDF receipts for mecenat.
