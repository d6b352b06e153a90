//! A TCP proxy on 127.0.0.1 that counts the bytes it carries each way: what "bytes on the wire"
//! means in the sync figures (HTTP headers included, as a network would carry them).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// Bytes carried so far.
#[derive(Debug, Default)]
pub struct Counts {
    /// From the client to the server.
    pub up: AtomicU64,
    /// From the server to the client.
    pub down: AtomicU64,
}

impl Counts {
    /// Both directions, and resets the counts.
    pub fn take(&self) -> (u64, u64) {
        (self.up.swap(0, Ordering::SeqCst), self.down.swap(0, Ordering::SeqCst))
    }
}

/// Starts a proxy to `target` on `runtime`; returns its address and its counts.
pub fn start(runtime: &tokio::runtime::Runtime, target: SocketAddr) -> (SocketAddr, Arc<Counts>) {
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("bind the proxy");
    let local = listener.local_addr().expect("proxy address");
    let counts = Arc::new(Counts::default());
    let shared = counts.clone();
    runtime.spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let counts = shared.clone();
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(target).await else {
                    return;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                let up = pipe(client_read, server_write, counts.clone(), true);
                let down = pipe(server_read, client_write, counts, false);
                let _ = tokio::join!(up, down);
            });
        }
    });
    (local, counts)
}

async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    counts: Arc<Counts>,
    up: bool,
) {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let counter = if up { &counts.up } else { &counts.down };
        counter.fetch_add(n as u64, Ordering::Relaxed);
        if to.write_all(&buffer[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}
