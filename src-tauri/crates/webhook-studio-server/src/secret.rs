//! The server's secrets: API keys (stored as their SHA-256) and webhook tokens (stored sealed
//! with AES-256-GCM under a key kept in a file outside the database).
//!
//! Why the two differ: an API key is only ever *checked*, so its hash is enough, and a key of 256
//! random bits needs no slow password hash (nobody can guess it, hashed or not). A webhook token
//! must be *given back*: a teammate's app pulls the block and shows its production cURL with the
//! token in it, which a hash cannot give. So the token is encrypted, with a fresh random nonce per
//! value and the block id as associated data (a sealed token copied onto another block does not
//! open). A dump of the database alone reveals no token; the key file is the thing to guard.

use std::fmt;
use std::io::Write;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};
use webhook_block::WebhookToken;

/// An API key's prefix, so a leaked key is recognisable (and scanners can find it).
pub const API_KEY_PREFIX: &str = "whsk_";

/// Why the secret key file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The file could not be read or written.
    #[error("the secret key file {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What happened.
        message: String,
    },
    /// The file does not hold a key.
    #[error(
        "the secret key file {0} does not hold a key (64 hex characters); restore it from a backup, or point --secret-key-file at the right file"
    )]
    Malformed(String),
    /// The OS random source failed.
    #[error("the operating system's random source failed: {0}")]
    Entropy(String),
}

/// The 32-byte key webhook tokens are sealed with.
#[derive(Clone)]
pub struct SecretKey(Aes256Gcm);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// `n` bytes from the OS CSPRNG.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], SecretError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| SecretError::Entropy(e.to_string()))?;
    Ok(bytes)
}

impl SecretKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self(Aes256Gcm::new(bytes.into()))
    }

    /// Reads the key at `path`, or creates it there (mode 0600) when the file does not exist.
    pub fn load_or_create(path: &Path) -> Result<Self, SecretError> {
        let io = |e: std::io::Error| SecretError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let text = text.trim();
                let bytes = decode_hex(text).ok_or_else(|| SecretError::Malformed(path.display().to_string()))?;
                let bytes: [u8; 32] = bytes
                    .try_into()
                    .map_err(|_| SecretError::Malformed(path.display().to_string()))?;
                Ok(Self::from_bytes(&bytes))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let bytes = random_bytes::<32>()?;
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                let mut file = options.open(path).map_err(io)?;
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                file.write_all(format!("{hex}\n").as_bytes()).map_err(io)?;
                file.sync_all().map_err(io)?;
                Ok(Self::from_bytes(&bytes))
            }
            Err(e) => Err(io(e)),
        }
    }

    /// `token` sealed for `block`: base64 of a random 96-bit nonce and the ciphertext.
    pub fn seal(&self, block: &str, token: &WebhookToken) -> Result<String, SecretError> {
        let nonce = random_bytes::<12>()?;
        let sealed = self
            .0
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: token.expose_secret().as_bytes(),
                    aad: block.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Entropy("AES-GCM refused to encrypt".into()))?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(STANDARD.encode(out))
    }

    /// The token sealed for `block`, or `None` when it does not open (another key, another block,
    /// a damaged value).
    pub fn open(&self, block: &str, sealed: &str) -> Option<WebhookToken> {
        let bytes = STANDARD.decode(sealed).ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = self
            .0
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: block.as_bytes(),
                },
            )
            .ok()?;
        WebhookToken::parse(std::str::from_utf8(&plain).ok()?).ok()
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A fresh API key: `whsk_` and 32 random bytes in URL-safe base64.
pub fn generate_api_key() -> Result<String, SecretError> {
    Ok(format!(
        "{API_KEY_PREFIX}{}",
        URL_SAFE_NO_PAD.encode(random_bytes::<32>()?)
    ))
}

/// What is stored for an API key: its SHA-256, in hex.
pub fn hash_api_key(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A fresh id such as `team_3f9c0a...` (16 random bytes in hex).
pub fn random_id(prefix: &str) -> Result<String, SecretError> {
    let hex: String = random_bytes::<8>()?.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{prefix}{hex}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_token_opens_for_its_block_only() {
        let key = SecretKey::from_bytes(&[7; 32]);
        let token = WebhookToken::generate().expect("token");
        let sealed = key.seal("b1", &token).expect("seals");
        assert!(!sealed.contains(token.expose_secret()));
        assert_eq!(key.open("b1", &sealed), Some(token.clone()));
        assert_eq!(key.open("b2", &sealed), None, "bound to its block");
        assert_eq!(SecretKey::from_bytes(&[8; 32]).open("b1", &sealed), None, "another key");
        assert_ne!(
            key.seal("b1", &token).expect("seals"),
            sealed,
            "a fresh nonce each time"
        );
        assert_eq!(key.open("b1", "not base64!"), None);
    }

    #[test]
    fn the_key_file_is_made_private_once_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("k");
        let key = SecretKey::load_or_create(&path).expect("creates");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let token = WebhookToken::generate().expect("token");
        let sealed = key.seal("b", &token).expect("seals");
        let again = SecretKey::load_or_create(&path).expect("reads");
        assert_eq!(again.open("b", &sealed), Some(token));
        assert_eq!(format!("{again:?}"), "SecretKey(<redacted>)");
        std::fs::write(&path, "nonsense").expect("write");
        assert!(matches!(
            SecretKey::load_or_create(&path),
            Err(SecretError::Malformed(_))
        ));
    }

    #[test]
    fn api_keys_are_high_entropy_and_hashed() {
        let a = generate_api_key().expect("key");
        assert!(a.starts_with(API_KEY_PREFIX));
        assert_eq!(a.len(), API_KEY_PREFIX.len() + 43);
        assert_ne!(a, generate_api_key().expect("key"));
        assert_eq!(hash_api_key(&a).len(), 64);
        assert!(!hash_api_key(&a).contains(&a[5..]));
    }
}
