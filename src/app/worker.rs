//! A latest-wins background job: the UI asks for a value computed from an input (a scenario,
//! a figure, ...), a worker thread computes it, and the answer comes back through a channel
//! the app polls once per frame. Only the newest request matters: asking again with a new
//! input bumps a generation counter, which the running computation checks through its
//! `cancelled` callback, and any answer for an older generation is dropped on arrival.
//!
//! This is plumbing, not policy: what is computed lives in `super::analysis`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The computation: input, cancel check -> value, or `None` when cancelled.
pub type Compute<K, V> = dyn Fn(&K, &(dyn Fn() -> bool + Sync)) -> Option<V> + Send + Sync;

/// A finished computation.
#[derive(Debug)]
pub struct Done<K, V> {
    /// The request it answers (see [`LatestJob::generation`]).
    pub generation: u64,
    /// The input it was computed from.
    pub key: K,
    /// The computed value.
    pub value: V,
    /// Time spent computing on the worker.
    pub compute_time: Duration,
    /// Time from the request to its arrival in the app (includes waiting for the worker).
    pub latency: Duration,
}

enum Message<K, V> {
    Done {
        generation: u64,
        key: K,
        value: V,
        compute_time: Duration,
    },
    Failed {
        generation: u64,
        message: String,
    },
}

/// Wakes the window when an answer arrives, so it polls without a user event.
type Repaint = Arc<Mutex<Option<egui::Context>>>;

/// One latest-wins job with its own worker thread (started on the first request).
pub struct LatestJob<K, V> {
    name: &'static str,
    compute: Arc<Compute<K, V>>,
    generation: Arc<AtomicU64>,
    requests: Option<Sender<(u64, K)>>,
    answers_tx: Sender<Message<K, V>>,
    answers: Receiver<Message<K, V>>,
    repaint: Repaint,
    /// The input of the newest request; `None` when nothing is wanted.
    requested: Option<K>,
    requested_at: Instant,
    latest: Option<Done<K, V>>,
    /// Why the newest request failed (the computation panicked), if it did.
    pub failure: Option<String>,
}

impl<K, V> Drop for LatestJob<K, V> {
    /// A window closing (or a test ending) with a Monte Carlo still running stops it: the
    /// computation sees a newer generation and returns, instead of running on unseen.
    fn drop(&mut self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

impl<K, V> std::fmt::Debug for LatestJob<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LatestJob")
            .field("name", &self.name)
            .field("generation", &self.generation.load(Ordering::Relaxed))
            .field("requested", &self.requested.is_some())
            .field("answered", &self.latest.is_some())
            .finish()
    }
}

impl<K, V> LatestJob<K, V>
where
    K: Clone + PartialEq + Send + 'static,
    V: Send + 'static,
{
    /// A job named `name` (the worker thread's name) computing with `compute`.
    pub fn new(
        name: &'static str,
        compute: impl Fn(&K, &(dyn Fn() -> bool + Sync)) -> Option<V> + Send + Sync + 'static,
    ) -> Self {
        let (answers_tx, answers) = channel();
        Self {
            name,
            compute: Arc::new(compute),
            generation: Arc::new(AtomicU64::new(0)),
            requests: None,
            answers_tx,
            answers,
            repaint: Arc::default(),
            requested: None,
            requested_at: Instant::now(),
            latest: None,
            failure: None,
        }
    }

    /// The context to wake when an answer arrives.
    pub fn set_repaint_context(&mut self, ctx: &egui::Context) {
        if let Ok(mut slot) = self.repaint.lock()
            && slot.is_none()
        {
            *slot = Some(ctx.clone());
        }
    }

    /// The number of the newest request.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Asks for the value of `key`, unless that is already what was last asked for. Cancels
    /// whatever older request is still running and forgets its answer.
    pub fn request(&mut self, key: &K) {
        if self.requested.as_ref() == Some(key) {
            return;
        }
        let generation = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        self.requested = Some(key.clone());
        self.requested_at = Instant::now();
        self.latest = None;
        self.failure = None;
        let job = (generation, key.clone());
        let job = match &self.requests {
            Some(tx) => match tx.send(job) {
                Ok(()) => return,
                // The worker is gone (it only exits when its sender is dropped, so this is
                // unexpected): start a new one below.
                Err(std::sync::mpsc::SendError(job)) => job,
            },
            None => job,
        };
        match self.spawn() {
            Some(tx) => {
                // A fresh channel whose receiver lives in the new thread: sending cannot fail.
                let _ = tx.send(job);
                self.requests = Some(tx);
            }
            None => {
                self.failure = Some(format!("could not start the {} worker", self.name));
                self.requested = None;
            }
        }
    }

    /// Stops wanting anything: cancels a running request and hides the last answer.
    pub fn cancel(&mut self) {
        if self.requested.is_some() || self.latest.is_some() {
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
        self.requested = None;
        self.latest = None;
    }

    /// Collects answers; keeps the one for the newest request, drops older ones.
    pub fn poll(&mut self) {
        while let Ok(message) = self.answers.try_recv() {
            self.accept(message);
        }
    }

    /// Blocks until the newest request is answered or `timeout` passes. For tests and the
    /// screenshot mode only: the window itself never waits.
    pub fn wait(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.busy() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.answers.recv_timeout(left) {
                Ok(message) => self.accept(message),
                Err(_) => return,
            }
        }
    }

    fn accept(&mut self, message: Message<K, V>) {
        let current = self.generation();
        match message {
            Message::Done {
                generation,
                key,
                value,
                compute_time,
            } if generation == current && self.requested.as_ref() == Some(&key) => {
                self.latest = Some(Done {
                    generation,
                    key,
                    value,
                    compute_time,
                    latency: self.requested_at.elapsed(),
                });
            }
            Message::Failed {
                generation,
                message,
            } if generation == current => {
                self.failure = Some(message);
                // Do not retry the same input over and over: wait for a new one.
                self.latest = None;
            }
            // An answer to an older request: never shown.
            _ => {}
        }
    }

    /// The answer to the newest request, once it has arrived.
    pub fn latest(&self) -> Option<&Done<K, V>> {
        self.latest
            .as_ref()
            .filter(|d| d.generation == self.generation())
    }

    /// The answer, only if it was computed from exactly `key`.
    pub fn latest_for(&self, key: &K) -> Option<&Done<K, V>> {
        self.latest().filter(|d| d.key == *key)
    }

    /// True while a request waits for its answer.
    pub fn busy(&self) -> bool {
        self.requested.is_some() && self.latest.is_none() && self.failure.is_none()
    }

    fn spawn(&self) -> Option<Sender<(u64, K)>> {
        let (tx, rx) = channel::<(u64, K)>();
        let compute = self.compute.clone();
        let generation = self.generation.clone();
        let answers = self.answers_tx.clone();
        let repaint = self.repaint.clone();
        let name = self.name;
        std::thread::Builder::new()
            .name(format!("lodestone-{name}"))
            .spawn(move || worker_loop(&rx, &*compute, &generation, &answers, &repaint))
            .ok()?;
        Some(tx)
    }
}

/// Runs requests until the app drops its sender. Requests that queued up while one ran are
/// skipped to the newest, and one whose generation is already old is not started at all.
fn worker_loop<K, V>(
    requests: &Receiver<(u64, K)>,
    compute: &Compute<K, V>,
    generation: &AtomicU64,
    answers: &Sender<Message<K, V>>,
    repaint: &Repaint,
) {
    while let Ok(mut job) = requests.recv() {
        while let Ok(newer) = requests.try_recv() {
            job = newer;
        }
        let (wanted, key) = job;
        if generation.load(Ordering::Acquire) != wanted {
            continue;
        }
        let cancelled = || generation.load(Ordering::Acquire) != wanted;
        let started = Instant::now();
        // A bug in the computation must not take the window down with it: report it instead.
        let outcome = super::recovery::caught(|| compute(&key, &cancelled));
        let message = match outcome {
            Ok(Some(value)) => Message::Done {
                generation: wanted,
                key,
                value,
                compute_time: started.elapsed(),
            },
            Ok(None) => continue,
            Err(panic) => Message::Failed {
                generation: wanted,
                message: panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "the computation failed".to_string()),
            },
        };
        if answers.send(message).is_err() {
            return;
        }
        if let Ok(slot) = repaint.lock()
            && let Some(ctx) = slot.as_ref()
        {
            ctx.request_repaint();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_newest_answer_is_kept() {
        let mut job: LatestJob<u64, u64> = LatestJob::new("test", |k, cancelled| {
            // Slow enough for the second request to overtake the first.
            for _ in 0..50 {
                if cancelled() {
                    return None;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            Some(k * 10)
        });
        job.request(&1);
        job.request(&2);
        job.wait(Duration::from_secs(10));
        let done = job.latest().expect("answered");
        assert_eq!((done.key, done.value), (2, 20));
        assert_eq!(done.generation, job.generation());
        assert!(job.latest_for(&1).is_none());
        job.cancel();
        assert!(job.latest().is_none() && !job.busy());
    }

    #[test]
    fn dropping_the_job_cancels_what_runs() {
        use std::sync::atomic::AtomicBool;
        static STOPPED: AtomicBool = AtomicBool::new(false);
        let mut job: LatestJob<u64, u64> = LatestJob::new("test", |_, cancelled| {
            // Long enough that only a cancellation ends it within the test.
            for _ in 0..10_000 {
                if cancelled() {
                    STOPPED.store(true, Ordering::SeqCst);
                    return None;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            Some(0)
        });
        job.request(&1);
        std::thread::sleep(Duration::from_millis(20));
        drop(job);
        let deadline = Instant::now() + Duration::from_secs(5);
        while !STOPPED.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(
            STOPPED.load(Ordering::SeqCst),
            "a dropped job's computation stops instead of running on"
        );
    }

    #[test]
    fn a_panicking_computation_is_reported_not_fatal() {
        let mut job: LatestJob<u64, u64> = LatestJob::new("test", |k, _| {
            assert!(*k != 3, "three is not allowed");
            Some(*k)
        });
        job.request(&3);
        job.wait(Duration::from_secs(10));
        assert!(job.failure.is_some());
        job.request(&4);
        job.wait(Duration::from_secs(10));
        assert_eq!(job.latest().map(|d| d.value), Some(4));
    }
}
