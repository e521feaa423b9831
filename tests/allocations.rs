//! "Allocate nothing per time step after set-up": a re-run into reused buffers allocates the
//! same amount whatever the horizon's length.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Counting allocations needs a global allocator, which is unsafe to implement; the crate
// itself forbids unsafe code.
#![allow(unsafe_code)]

use lodestone::model::{Horizon, Results, Scenario, Workspace, YearMonth, simulate_into};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_of_rerun(end_year: i32) -> usize {
    let scenario = Scenario {
        horizon: Horizon {
            end: YearMonth::new(end_year, 12).expect("valid month"),
            ..Horizon::default()
        },
        ..Scenario::default()
    };
    let mut workspace = Workspace::default();
    let mut results = Results::empty();
    simulate_into(&scenario, &mut workspace, &mut results);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    simulate_into(&scenario, &mut workspace, &mut results);
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert_eq!(results.steps(), scenario.horizon.steps());
    after - before
}

#[test]
fn a_rerun_allocates_nothing_per_step() {
    let short = allocations_of_rerun(2025);
    let long = allocations_of_rerun(2060);
    assert_eq!(short, long, "allocations grow with the number of steps");
    // Set-up only: a few small per-material vectors (event order, state, pipelines).
    assert!(short <= 16, "{short} allocations for one re-run");
}
