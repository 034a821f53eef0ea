package zoneplane.controlplane.account;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.Identifiers;
import zoneplane.controlplane.api.JsonBody;
import zoneplane.controlplane.api.PageRequest;
import zoneplane.controlplane.api.ResultInfo;

/** Operator-managed accounts: {@code POST /accounts}, {@code GET /accounts}, {@code GET /accounts/{id}}. */
@RestController
@Tag(name = "Accounts", description = "Tenants that own zones (operator-managed)")
class AccountController {

    /** Body of {@code POST /accounts}, for the OpenAPI document. */
    @Schema(name = "AccountCreate")
    record AccountCreate(@Schema(example = "Example Ltd", maxLength = 200) String name) {}

    private final AccountRepository accounts;

    AccountController(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @PostMapping("/accounts")
    @Operation(summary = "Create an account", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(schema = @Schema(implementation = AccountCreate.class))))
    Envelope<AccountView> create(@RequestBody JsonNode body) {
        String name = JsonBody.of(body, Set.of("name")).requiredText("name").strip();
        if (name.isEmpty() || name.length() > 200) {
            throw JsonBody.invalid("Field 'name' must be 1 to 200 characters");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            // PostgreSQL text cannot hold NUL (it would fail as a 500), and no name needs control characters
            throw JsonBody.invalid("Field 'name' must not contain control characters");
        }
        return Envelope.of(AccountView.of(accounts.insert(Identifiers.newId(), name)));
    }

    @GetMapping("/accounts")
    @Operation(summary = "List accounts")
    Envelope<List<AccountView>> list(
            @RequestParam(name = "page", required = false) String page,
            @RequestParam(name = "per_page", required = false) String perPage,
            AccountScope scope) {
        PageRequest request = PageRequest.parse(page, perPage);
        List<AccountView> result = accounts.list(scope, request).stream().map(AccountView::of).toList();
        return Envelope.list(result, ResultInfo.of(request, result.size(), accounts.count(scope)));
    }

    @GetMapping("/accounts/{account_id}")
    @Operation(summary = "Account details")
    Envelope<AccountView> get(@PathVariable("account_id") String id, AccountScope scope) {
        return Envelope.of(AccountView.of(accounts.require(scope, id)));
    }
}
