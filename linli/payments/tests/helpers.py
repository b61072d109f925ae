"""Build notifications the way the platforms do, with keys generated here (no network)."""

from __future__ import annotations

import base64
import json
import secrets
import time
from urllib.parse import urlencode

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def rsa_keypair() -> tuple[str, str]:
    """(private PEM, public PEM) of a fresh RSA-2048 key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def _sign(private_pem: str, message: bytes) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def verify(public_pem: str, message: bytes, signature_b64: str) -> bool:
    key = serialization.load_pem_public_key(public_pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    try:
        key.verify(base64.b64decode(signature_b64), message, padding.PKCS1v15(), hashes.SHA256())
    except Exception:
        return False
    return True


def wechat_notification(
    *,
    platform_private_key: str,
    apiv3_key: str,
    public_key_id: str,
    out_trade_no: str,
    amount_fen: int,
    mchid: str = "1900000109",
    transaction_id: str = "4200000000202605010000000001",
    trade_state: str = "SUCCESS",
    event_type: str = "TRANSACTION.SUCCESS",
    timestamp: int | None = None,
) -> tuple[dict[str, str], str]:
    """A WeChat Pay v3 payment notification: resource AES-256-GCM encrypted with the APIv3 key,
    the body signed with the platform key over "timestamp\\nnonce\\nbody\\n"."""
    tx = {
        "mchid": mchid,
        "appid": "wx0000000000000001",
        "out_trade_no": out_trade_no,
        "transaction_id": transaction_id,
        "trade_type": "NATIVE",
        "trade_state": trade_state,
        "trade_state_desc": "支付成功",
        "success_time": "2026-05-01T10:00:00+08:00",
        "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        "amount": {"total": amount_fen, "payer_total": amount_fen, "currency": "CNY"},
    }
    nonce = secrets.token_hex(6)  # 12 characters, as WeChat uses
    associated = "transaction"
    ciphertext = AESGCM(apiv3_key.encode()).encrypt(
        nonce.encode(), json.dumps(tx, ensure_ascii=False).encode(), associated.encode()
    )
    body = json.dumps(
        {
            "id": "EV-" + secrets.token_hex(8),
            "create_time": "2026-05-01T10:00:01+08:00",
            "resource_type": "encrypt-resource",
            "event_type": event_type,
            "summary": "支付成功",
            "resource": {
                "original_type": "transaction",
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": base64.b64encode(ciphertext).decode(),
                "associated_data": associated,
                "nonce": nonce,
            },
        },
        ensure_ascii=False,
    )
    ts = str(timestamp if timestamp is not None else int(time.time()))
    header_nonce = secrets.token_hex(16)
    signature = _sign(platform_private_key, f"{ts}\n{header_nonce}\n{body}\n".encode())
    headers = {
        "Wechatpay-Timestamp": ts,
        "Wechatpay-Nonce": header_nonce,
        "Wechatpay-Signature": signature,
        "Wechatpay-Serial": public_key_id,
        "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
        "Content-Type": "application/json",
    }
    return headers, body


def alipay_notification(
    *,
    alipay_private_key: str,
    app_id: str,
    out_trade_no: str,
    total_amount: str,
    trade_status: str = "TRADE_SUCCESS",
    trade_no: str = "2026050122001400000000000001",
) -> str:
    """An Alipay asynchronous notification (form body), signed RSA2 as Alipay signs it:
    every parameter but sign and sign_type, sorted, joined k=v with '&'."""
    params = {
        "gmt_create": "2026-05-01 10:00:00",
        "charset": "utf-8",
        "seller_email": "shop@example.com",
        "subject": "邻里 订单",
        "buyer_id": "2088102122524333",
        "invoice_amount": total_amount,
        "notify_id": secrets.token_hex(16),
        "notify_type": "trade_status_sync",
        "trade_status": trade_status,
        "receipt_amount": total_amount,
        "app_id": app_id,
        "buyer_pay_amount": total_amount,
        "gmt_payment": "2026-05-01 10:00:05",
        "notify_time": "2026-05-01 10:00:06",
        "version": "1.0",
        "total_amount": total_amount,
        "trade_no": trade_no,
        "auth_app_id": app_id,
        "point_amount": "0.00",
        "out_trade_no": out_trade_no,
        "seller_id": "2088102119685838",
    }
    message = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    params["sign"] = _sign(alipay_private_key, message.encode())
    params["sign_type"] = "RSA2"
    return urlencode(params)


APIV3_KEY = "0123456789abcdef0123456789ABCDEF"  # 32 bytes
PUBLIC_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000000001"
