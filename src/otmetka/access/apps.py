from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "otmetka.access"
    label = "access"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from otmetka.access import authctx
        from otmetka.access.middleware import event_school_id, remember_school
        from otmetka.accounts.services import school_of_register

        school_of_register(event_school_id)
        authctx.connect()
        user_logged_in.connect(remember_school, dispatch_uid="otmetka_remember_school")
