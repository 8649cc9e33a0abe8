//! Level policies: an error, or a policy that recommends on the sample
//! patients without a panic and reads back the same once printed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match carematch::level_policy_from_json(text) {
        Ok(policy) => {
            for p in carematch::sample::patients() {
                let _ = policy.recommend(&p.assessment).to_string();
            }
            let json = serde_json::to_string(&policy).expect("policies serialize");
            let again =
                carematch::level_policy_from_json(&json).expect("printed policy reads back");
            assert_eq!(again, policy, "printed as {json}");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
