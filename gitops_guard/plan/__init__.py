"""plan stage (design.md §2): what will change in each environment if this merges.

    plan.build.build_plan(PlanOptions, Config) -> Plan      # base/live/snapshot vs working tree
    plan.engine.diff_objects(before, after, settings, env)  # the engine, on plain objects
    plan.model: Plan, EnvPlan, ResourceChange, FieldChange  # what the formats in report/ read

Nothing is imported here: report/ reads plan.model on every `check`, and importing the
package must not pull build (and with it render/) into the pre-commit hook's start-up.
"""
