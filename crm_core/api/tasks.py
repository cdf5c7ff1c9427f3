"""/api/tasks: the caller's tasks (staff may pass assignee_id); create; patch to complete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from crm_core.api.deps import ActorDep, IdPath, ServicesDep
from crm_core.api.responses import errors
from crm_core.services.dto import Page, TaskCreate, TaskFilter, TaskOut, TaskUpdate

router = APIRouter(prefix="/tasks", tags=["tasks"], responses=errors(400, 401, 403, 404, 409))


@router.get("")
async def list_tasks(
    actor: ActorDep, services: ServicesDep, filters: Annotated[TaskFilter, Depends()]
) -> Page[TaskOut]:
    """scope=open (default), today, overdue or all."""
    return await services.tasks.list(actor, filters)


@router.post("", status_code=201)
async def create_task(actor: ActorDep, services: ServicesDep, body: TaskCreate) -> TaskOut:
    return await services.tasks.create(actor, body)


@router.get("/{task_id}")
async def get_task(actor: ActorDep, services: ServicesDep, task_id: IdPath) -> TaskOut:
    """404 for an agent asking for another agent's task."""
    return await services.tasks.get(actor, task_id)


@router.patch("/{task_id}")
async def update_task(
    actor: ActorDep, services: ServicesDep, task_id: IdPath, body: TaskUpdate
) -> TaskOut:
    """`{"done": true, "result": "..."}` completes the task."""
    return await services.tasks.update(actor, task_id, body)
