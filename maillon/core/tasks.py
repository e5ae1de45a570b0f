from django_tasks import task

from .retention import purge_expired_data


@task()
def purge_expired_data_task() -> dict[str, int]:
    return purge_expired_data()
