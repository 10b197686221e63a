//! Signing the manifest with minisign (Ed25519), in the format Debian's
//! `minisign` command reads, so that a journalist can check a downloaded
//! copy with a tool that is not ours.
//!
//! The secret key is read from the file named by `CONGKHAI_SIGNING_KEY`,
//! never from the site's folder, and never written into the output. A site
//! that declares a public key must be signed: a configured key without a
//! usable secret key is an error, not a quietly unsigned site.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox, SignatureBox};

/// The variable that names the secret key file.
pub const KEY_ENV: &str = "CONGKHAI_SIGNING_KEY";
/// The variable that holds the secret key's password, when it has one.
pub const PASSWORD_ENV: &str = "CONGKHAI_SIGNING_PASSWORD";
pub use crate::site::urls::{PUBLIC_KEY as PUBLIC_KEY_FILE, SIGNATURE};

/// A problem with keys or signatures, in both languages, with what to do.
#[derive(Debug)]
pub struct KeyError {
    pub vi: String,
    pub en: String,
    pub hint_vi: String,
    pub hint_en: String,
}

fn key_error(vi: String, en: String, hint_vi: &str, hint_en: &str) -> KeyError {
    KeyError {
        vi,
        en,
        hint_vi: hint_vi.into(),
        hint_en: hint_en.into(),
    }
}

/// The public key from its key line (`RW…`, as in `[signing] public_key`).
pub fn public_key(line: &str) -> Result<PublicKey, KeyError> {
    PublicKey::from_base64(line.trim()).map_err(|e| {
        key_error(
            format!("khóa công khai không hợp lệ: {e}"),
            format!("not a valid public key: {e}"),
            "Chép dòng thứ hai của tệp .pub do `congkhai keygen` tạo (bắt đầu bằng RW).",
            "Copy the second line of the .pub file `congkhai keygen` made (it starts with RW).",
        )
    })
}

/// The public key from a `.pub` file's text or a bare key line.
pub fn public_key_text(text: &str) -> Result<PublicKey, KeyError> {
    match PublicKeyBox::from_string(text).and_then(PublicKeyBox::into_public_key) {
        Ok(pk) => Ok(pk),
        Err(_) => public_key(text.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("")),
    }
}

/// The published `.pub` file of a key line.
pub fn public_key_file(line: &str) -> Result<Vec<u8>, KeyError> {
    let pk = public_key(line)?;
    Ok(format!(
        "untrusted comment: minisign public key {}\n{}\n",
        key_id(&pk),
        pk.to_base64()
    )
    .into_bytes())
}

/// The key's id, as `minisign` prints it.
pub fn key_id(pk: &PublicKey) -> String {
    let bytes = pk.to_bytes();
    // Algorithm (2 bytes), then the 8-byte key number, little-endian.
    bytes[2..10]
        .iter()
        .rev()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// What signs a build: the secret key and the public key it must match.
pub struct Signer {
    sk: SecretKey,
    pk: PublicKey,
}

/// The signer of a build with `[signing] public_key = configured`: the
/// secret key from [`KEY_ENV`], checked against it. `None` when the site
/// declares no key and none is given.
pub fn signer(configured: Option<&str>, site: &Path) -> Result<Option<Signer>, KeyError> {
    let path = std::env::var_os(KEY_ENV).filter(|p| !p.is_empty());
    let (line, path) = match (configured, path) {
        (None, None) => return Ok(None),
        (None, Some(_)) => {
            return Err(key_error(
                format!("có {KEY_ENV} nhưng congkhai.toml không khai báo [signing] public_key"),
                format!("{KEY_ENV} is set but congkhai.toml declares no [signing] public_key"),
                "Thêm [signing] public_key = \"RW…\" (dòng thứ hai của tệp .pub) để người đọc kiểm tra được chữ ký.",
                "Add [signing] public_key = \"RW…\" (the .pub file's second line) so that readers can check the signature.",
            ));
        }
        (Some(_), None) => {
            return Err(key_error(
                format!(
                    "congkhai.toml khai báo khóa ký nhưng biến {KEY_ENV} chưa trỏ tới khóa bí mật"
                ),
                format!(
                    "congkhai.toml declares a signing key but {KEY_ENV} does not name the secret key"
                ),
                "Đặt CONGKHAI_SIGNING_KEY=/duong/toi/congkhai.key (ngoài thư mục cổng) rồi dựng lại.",
                "Set CONGKHAI_SIGNING_KEY=/path/to/congkhai.key (outside the site folder) and build again.",
            ));
        }
        (Some(line), Some(path)) => (line, PathBuf::from(path)),
    };
    // A key kept in the site's folder ends up in its git history and its
    // backups, where anyone with the sources could sign as the province.
    if let (Ok(key), Ok(site)) = (path.canonicalize(), site.canonicalize())
        && key.starts_with(&site)
    {
        return Err(key_error(
            format!("khóa bí mật {} nằm trong thư mục cổng", path.display()),
            format!(
                "the secret key {} is inside the site folder",
                path.display()
            ),
            "Chuyển khóa ra ngoài thư mục cổng (và ra khỏi git), ví dụ ~/khoa-congkhai/congkhai.key.",
            "Move the key out of the site folder (and out of git), e.g. to ~/khoa-congkhai/congkhai.key.",
        ));
    }
    let pk = public_key(line)?;
    let sk = read_secret(&path)?;
    let derived = PublicKey::from_secret_key(&sk).map_err(|e| {
        key_error(
            format!("khóa bí mật {} hỏng: {e}", path.display()),
            format!("the secret key {} is damaged: {e}", path.display()),
            "Tạo lại cặp khóa bằng `congkhai keygen`.",
            "Make a new key pair with `congkhai keygen`.",
        )
    })?;
    if derived.to_bytes() != pk.to_bytes() {
        return Err(key_error(
            format!(
                "khóa bí mật {} không khớp khóa công khai trong congkhai.toml ({})",
                path.display(),
                key_id(&pk)
            ),
            format!(
                "the secret key {} does not match the public key in congkhai.toml ({})",
                path.display(),
                key_id(&pk)
            ),
            "Dùng đúng khóa bí mật của cặp khóa đã công bố, hoặc công bố khóa công khai mới.",
            "Use the secret key of the published pair, or publish the new public key.",
        ));
    }
    Ok(Some(Signer { sk, pk }))
}

fn read_secret(path: &Path) -> Result<SecretKey, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        key_error(
            format!("không đọc được khóa bí mật {}: {e}", path.display()),
            format!("cannot read the secret key {}: {e}", path.display()),
            "Kiểm tra đường dẫn trong CONGKHAI_SIGNING_KEY.",
            "Check the path in CONGKHAI_SIGNING_KEY.",
        )
    })?;
    let damaged = |e: minisign::PError| {
        key_error(
            format!("không mở được khóa bí mật {}: {e}", path.display()),
            format!("cannot open the secret key {}: {e}", path.display()),
            "Khóa có mật khẩu thì đặt mật khẩu trong CONGKHAI_SIGNING_PASSWORD.",
            "For a key with a password, put the password in CONGKHAI_SIGNING_PASSWORD.",
        )
    };
    let sk_box = SecretKeyBox::from_string(&text).map_err(damaged)?;
    match std::env::var(PASSWORD_ENV) {
        Ok(password) => sk_box.into_secret_key(Some(password)),
        Err(_) => sk_box.into_unencrypted_secret_key(),
    }
    .map_err(damaged)
}

impl Signer {
    /// The minisign signature of `manifest`. The trusted comment (signed
    /// too) names the site and the as-of date.
    pub fn sign(&self, manifest: impl std::io::Read, comment: &str) -> Result<Vec<u8>, String> {
        let sig = minisign::sign(
            Some(&self.pk),
            &self.sk,
            manifest,
            Some(comment),
            Some("signature from congkhai secret key"),
        )
        .map_err(|e| e.to_string())?;
        Ok(sig.into_string().into_bytes())
    }
}

/// Checks a signature of `data`; the trusted comment when it holds.
pub fn check(pk: &PublicKey, signature: &str, data: &[u8]) -> Result<String, String> {
    let sig = SignatureBox::from_string(signature).map_err(|e| e.to_string())?;
    minisign::verify(pk, &sig, Cursor::new(data), true, false, false).map_err(|e| e.to_string())?;
    sig.trusted_comment().map_err(|e| e.to_string())
}

/// Makes a key pair: `DIR/congkhai.pub` and `DIR/congkhai.key`, the secret
/// one protected by `password` when given. Refuses to replace either file.
pub fn keygen(dir: &Path, password: Option<String>) -> Result<(PathBuf, String), KeyError> {
    let (pub_path, key_path) = (dir.join("congkhai.pub"), dir.join("congkhai.key"));
    for p in [&pub_path, &key_path] {
        if std::fs::symlink_metadata(p).is_ok() {
            return Err(key_error(
                format!("{} đã có; không ghi đè khóa", p.display()),
                format!("{} exists; keys are never overwritten", p.display()),
                "Chọn thư mục khác bằng --out, hoặc tự chuyển khóa cũ đi nếu chắc chắn.",
                "Choose another folder with --out, or move the old key away yourself if you are sure.",
            ));
        }
    }
    let failed = |e: String| {
        key_error(
            format!("không tạo được khóa: {e}"),
            format!("cannot make the keys: {e}"),
            "Kiểm tra quyền ghi vào thư mục.",
            "Check that the folder is writable.",
        )
    };
    let encrypted = password.is_some();
    let pair = if encrypted {
        KeyPair::generate_encrypted_keypair(password)
    } else {
        KeyPair::generate_unencrypted_keypair()
    }
    .map_err(|e| failed(e.to_string()))?;
    let pk_box = pair.pk.to_box().map_err(|e| failed(e.to_string()))?;
    let sk_box = pair
        .sk
        .to_box(Some("congkhai secret key"))
        .map_err(|e| failed(e.to_string()))?;
    std::fs::create_dir_all(dir).map_err(|e| failed(e.to_string()))?;
    write_new(&key_path, sk_box.to_string().as_bytes(), true).map_err(|e| failed(e.to_string()))?;
    write_new(&pub_path, pk_box.to_string().as_bytes(), false)
        .map_err(|e| failed(e.to_string()))?;
    Ok((pub_path, pair.pk.to_base64()))
}

/// Creates a file that must not exist yet; a secret one readable by its
/// owner only.
fn write_new(path: &Path, bytes: &[u8], secret: bool) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let _ = secret;
    o.open(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_made_here_verifies_and_a_changed_byte_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let (_, line) = keygen(dir.path(), None).unwrap();
        let sk = read_secret(&dir.path().join("congkhai.key")).unwrap();
        let pk = public_key(&line).unwrap();
        let signer = Signer { sk, pk: pk.clone() };
        let sig = String::from_utf8(
            signer
                .sign(&b"abc  index.html\n"[..], "as of 2026-11-23")
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            check(&pk, &sig, b"abc  index.html\n").unwrap(),
            "as of 2026-11-23"
        );
        assert!(check(&pk, &sig, b"abd  index.html\n").is_err());
        let pub_text = std::fs::read_to_string(dir.path().join("congkhai.pub")).unwrap();
        assert_eq!(public_key_text(&pub_text).unwrap().to_base64(), line);
        assert!(
            keygen(dir.path(), None).is_err(),
            "keys are never overwritten"
        );
    }
}
