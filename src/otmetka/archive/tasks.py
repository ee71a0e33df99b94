"""Background work of the archive, run by `otmetka worker` (django-tasks, database backend):
the director's «Сделать архив» builds the queued archive here, not inside the request."""

from django_tasks import task

from otmetka.archive.models import Archive


@task()
def archive_build(archive_id: int) -> str:
    """Build the queued archive (its row shows the state and the files done of total); any
    failure is recorded on the row as «ошибка», never lost."""
    from otmetka.archive.services import archive_create, archive_failed

    archive = (
        Archive.objects.select_related("year__school", "created_by")
        .filter(pk=archive_id, state=Archive.State.QUEUED)
        .first()
    )
    if archive is None:
        return "gone"
    try:
        archive_create(
            actor=archive.created_by,
            year=archive.year,
            retention_years=archive.retention_years,
            archive=archive,
        )
    except Exception as error:  # any failure is recorded on the row for the director
        archive_failed(archive=archive, error=error)
        return "failed"
    return "ready"
