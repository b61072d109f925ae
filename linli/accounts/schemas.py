from ninja import Schema


class SmsSendIn(Schema):
    phone: str
    purpose: str = "login"


class SmsSendOut(Schema):
    sent: bool
    expires_in: int


class SmsLoginIn(Schema):
    phone: str
    code: str


class RegisterIn(Schema):
    phone: str
    code: str
    display_name: str


class TokenIn(Schema):
    name: str = "app"


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    id: int
    display_name: str
    phone: str
    roles: list[str]
    home: str


class ConsentIn(Schema):
    kind: str
    granted: bool
