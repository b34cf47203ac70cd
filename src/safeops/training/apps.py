from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "safeops.training"
    label = "training"
    verbose_name = "Training and certification"

    def ready(self) -> None:
        from safeops.access import register_rules
        from safeops.training.rules import training_rules

        register_rules(training_rules)
        from safeops.training.scopes import register_training_resources

        register_training_resources()
