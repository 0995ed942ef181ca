"""Core endpoints: who am I, API tokens, the audit log, jobs."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from passage.core import actions, jobs, policy, queries
from passage.core.errors import ActionError
from passage.core.models import ApiToken, AuditEvent, Job, User
from passage.core.pagination import Pagination
from passage.core.utils import api_user

router = Router()


class ErrorOut(Schema):
    code: str
    message: str


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    organisation: str | None
    organisation_kind: str | None
    permissions: list[str]


@router.get("/me", response=MeOut, summary="The signed-in user and what they may do")
def me(request: HttpRequest) -> dict[str, Any]:
    user = api_user(request)
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "role": user.role,
        "organisation": user.organisation.name if user.organisation else None,
        "organisation_kind": user.organisation.kind if user.organisation else None,
        "permissions": sorted(p for p in policy.permissions() if policy.has_permission(user, p)),
    }


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    expires_at: datetime | None = None
    username: str | None = Field(
        None, description="Administrators only: create the token for this user."
    )


class NewTokenOut(TokenOut):
    secret: str = Field(..., description="Shown once; only its hash is kept.")


def _no_such_user() -> User:
    raise ActionError("No such user.", field="username", code="unknown_user")


@router.get("/tokens", response=list[TokenOut], summary="API tokens (yours; all for admins)")
def list_tokens(request: HttpRequest) -> Any:
    return policy.visible_to(ApiToken.objects.all(), api_user(request))


@router.post("/tokens", response={201: NewTokenOut, 400: ErrorOut}, summary="Create an API token")
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    user = api_user(request)
    policy.require(user, "core.use_api_tokens")
    owner = user
    if payload.username and payload.username != user.username:
        policy.require(user, "core.manage_users")
        owner = (
            policy.visible_to(User.objects.all(), user).filter(username=payload.username).first()
            or _no_such_user()
        )
    token, secret = actions.create_api_token(
        actor=user, user=owner, name=payload.name, expires_at=payload.expires_at
    )
    data = TokenOut.from_orm(token).dict()
    return Status(201, {**data, "secret": secret})


@router.delete(
    "/tokens/{token_id}",
    response={200: TokenOut, 400: ErrorOut, 404: ErrorOut},
    summary="Revoke an API token",
)
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    user = api_user(request)
    token = policy.get_object_for(user, ApiToken, token_id, "core.use_api_tokens")
    return actions.revoke_api_token(actor=user, token=token)


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str = Field(..., alias="actor_repr")
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    extra: dict[str, Any]
    ip: str | None


class AuditFilter(Schema):
    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@router.get("/audit", response=list[AuditOut], summary="The audit log (administrators)")
@paginate(Pagination)
def audit_log(request: HttpRequest, filters: Query[AuditFilter]) -> Any:
    return queries.audit_events(api_user(request), **filters.dict())


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    done: int
    total: int
    percent: int
    error: str
    result: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_percent(obj: Job) -> int:
        return jobs.percent(obj)

    @staticmethod
    def resolve_done(obj: Job) -> int:
        return jobs.live_progress(obj)[0]


@router.get("/jobs", response=list[JobOut], summary="Your background jobs")
@paginate(Pagination)
def list_jobs(request: HttpRequest) -> Any:
    return policy.visible_to(Job.objects.all(), api_user(request))


@router.get(
    "/jobs/{job_id}", response={200: JobOut, 404: ErrorOut}, summary="One job and its progress"
)
def get_job(request: HttpRequest, job_id: int) -> Any:
    return policy.get_object_for(api_user(request), Job, job_id)


@router.post(
    "/audit/exports",
    response={202: JobOut, 403: ErrorOut},
    summary="Export the audit log as CSV (a background job)",
)
def export_audit(request: HttpRequest, filters: Query[AuditFilter]) -> Any:
    user = api_user(request)
    policy.require(user, "core.export_audit")
    job = jobs.start_job(
        actor=user,
        kind="core.audit_export",
        title="Audit log export",
        params={
            k: (v.isoformat() if isinstance(v, datetime) else v)
            for k, v in filters.dict().items()
            if v
        },
    )
    job.refresh_from_db()
    return Status(202, job)


__all__ = ["AuditEvent", "router"]
