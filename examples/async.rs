//! Async Rust calling async Python: a tokio program starts a small asyncio server on loopback
//! (each reply takes 50 ms, a slow backend), then sends it 20 requests through
//! `py!(await …)`: all at once as tokio tasks, then one by one, and prints both wall times.
//!
//! Run with `cargo run --example async` (needs the `asyncio` feature, on in this workspace).

use std::time::{Duration, Instant};

use pycall::prelude::*;

const WORDS: [&str; 20] = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
];

/// One request: connect, send a word, read the reply (the word in capitals).
async fn fetch(client: &Py<PyAny>, port: u16, word: &'static str) -> PyResult<String> {
    Python::attach(|py| py!(await client(port, word) as String))?.await
}

#[tokio::main]
async fn main() -> PyResult<()> {
    // The server and the client, defined in Python; nothing runs yet.
    let (serve, client): (Py<PyAny>, Py<PyAny>) = Python::attach(|py| {
        py! {
            import asyncio;
            async def handle(reader, writer) {
                line = await reader.readline();
                await asyncio.sleep(0.05);
                writer.write(line.upper());
                await writer.drain();
                writer.close();
                await writer.wait_closed()
            }
            async def serve() {
                return await asyncio.start_server(handle, "127.0.0.1", 0)
            }
            async def client(port, word) {
                reader, writer = await asyncio.open_connection("127.0.0.1", port);
                writer.write(word.encode() + b"\n");
                await writer.drain();
                reply = await reader.readline();
                writer.close();
                await writer.wait_closed();
                return reply.decode().strip()
            }
            (serve, client) as (Py<PyAny>, Py<PyAny>)
        }
    })?;

    // Started on pycall's event loop (a background thread), awaited here in tokio.
    let server = Python::attach(|py| py!(await serve()))?.await?;
    let port: u16 = Python::attach(|py| py!(server.sockets[0].getsockname()[1] as u16))?;
    println!("asyncio server on 127.0.0.1:{port}");

    // All at once: each request is a tokio task awaiting Python.
    let start = Instant::now();
    let tasks: Vec<_> = WORDS
        .iter()
        .map(|&word| {
            let client = Python::attach(|py| client.clone_ref(py));
            tokio::spawn(async move { fetch(&client, port, word).await })
        })
        .collect();
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.expect("the task panicked")?);
    }
    let together = start.elapsed();
    println!("{}", replies.join(" "));
    let expected: Vec<String> = WORDS.iter().map(|w| w.to_uppercase()).collect();
    assert_eq!(replies, expected);

    // One by one.
    let start = Instant::now();
    for &word in &WORDS {
        let reply = fetch(&client, port, word).await?;
        assert_eq!(reply, word.to_uppercase());
    }
    let one_by_one = start.elapsed();

    println!(
        "{} requests: {} all at once, {} one by one ({:.1}x)",
        WORDS.len(),
        millis(together),
        millis(one_by_one),
        one_by_one.as_secs_f64() / together.as_secs_f64()
    );

    Python::attach(|py| {
        py! {
            server.close();
            await server.wait_closed()
        }
    })?
    .await?;
    Ok(())
}

fn millis(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}
