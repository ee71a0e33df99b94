from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "otmetka.access"
    label = "access"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from otmetka.access.middleware import remember_school

        user_logged_in.connect(remember_school, dispatch_uid="otmetka_remember_school")
