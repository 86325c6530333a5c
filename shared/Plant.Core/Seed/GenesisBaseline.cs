namespace Plant.Core.Seed;

/// <summary>An industry of the baseline; <paramref name="Code"/> fits <c>catalog.industry.code</c>.</summary>
public sealed record SeedIndustry(string Name, string Code, string Description);

/// <summary>A skill; <paramref name="Category"/> is one of the categories V0001 allows.</summary>
public sealed record SeedSkill(string Name, string Category, string Description);

/// <summary>A job role in one industry, requiring two to four skills (by name).</summary>
public sealed record SeedJobRole(string Name, string Industry, string Seniority, string Description, IReadOnlyList<string> RequiredSkills);

/// <summary>A team of agents who all hold the team's job role; members are the agents naming the team.</summary>
public sealed record SeedTeam(string Name, string JobRole, string Description);

/// <summary>
/// An agent: its industry is its job role's, its skills are the role's required skills plus <paramref name="ExtraSkills"/>.
/// </summary>
public sealed record SeedAgent(
    string Name,
    string JobRole,
    string? Team,
    string Availability,
    decimal PricePerHour,
    string Description,
    IReadOnlyList<string> ExtraSkills);

/// <summary>
/// The Genesis baseline: the catalog a new local or demo database starts with. Descriptions are written to make
/// semantic search meaningful (a query for "chargeback disputes" should find the fraud skills and agents).
/// </summary>
public static class GenesisBaseline
{
    public static IReadOnlyList<SeedIndustry> Industries { get; } =
    [
        new("Financial Services", "FINSERV", "Banking, lending, payments and insurance: work governed by risk controls, audit trails and regulators such as anti-money-laundering and know-your-customer rules."),
        new("Healthcare", "HEALTHCARE", "Hospitals, clinics, payers and revenue-cycle management: patient records, clinical documentation, medical coding and insurance claims under HIPAA privacy rules."),
        new("Retail & E-commerce", "RETAIL", "Online and physical stores: product catalogs, merchandising, inventory and supply planning, customer service and marketing across web shops and marketplaces."),
    ];

    public static IReadOnlyList<SeedSkill> Skills { get; } =
    [
        new("Python Data Engineering", "technical", "Builds reliable data pipelines in Python: extracting, cleaning and transforming data with pandas, scheduling batch jobs and loading results into warehouses."),
        new("SQL and Data Modeling", "technical", "Writes efficient SQL queries, designs relational schemas and dimensional models, and tunes joins and indexes on PostgreSQL and cloud data warehouses."),
        new("API Integration", "technical", "Connects systems through REST and webhook APIs: authentication, pagination, retries and mapping payloads between payment, EHR and commerce platforms."),
        new("Machine Learning Modeling", "technical", "Trains, validates and monitors predictive models such as gradient-boosted trees and logistic regression, with feature engineering and drift checks."),
        new("Financial Risk Analysis", "analytical", "Assesses credit, market and liquidity risk: probability of default, loss given default, stress tests and exposure limits for loan and investment portfolios."),
        new("Fraud Detection", "analytical", "Spots fraudulent transactions and accounts: card-not-present fraud, account takeover, chargeback disputes and anomaly scoring of payment patterns."),
        new("Demand Forecasting", "analytical", "Predicts product demand by store and week from sales history, seasonality, promotions and holidays to drive replenishment and purchasing."),
        new("Customer Analytics", "analytical", "Segments customers, measures lifetime value, churn and basket behaviour, and designs A/B tests to understand what shoppers buy and why."),
        new("Customer Support Conversation", "communication", "Answers customer questions by chat and email with empathy and accuracy: order status, account problems, refunds and escalation to a human."),
        new("Clinical Documentation", "communication", "Summarises patient encounters into clear clinical notes: history, assessment and plan, discharge summaries and referral letters."),
        new("Report Writing", "communication", "Turns analysis into concise written reports and dashboards for managers, auditors and regulators, with findings, evidence and recommendations."),
        new("KYC and AML Compliance", "domain", "Applies know-your-customer and anti-money-laundering rules: identity verification, sanctions and PEP screening, suspicious activity reports."),
        new("Medical Coding", "domain", "Assigns ICD-10-CM diagnosis codes and CPT and HCPCS procedure codes from clinical records, following payer coding guidelines."),
        new("Insurance Claims Processing", "domain", "Adjudicates health and property insurance claims: eligibility, coverage and benefit checks, denials, appeals and reimbursement."),
        new("Product Copywriting", "creative", "Writes persuasive product titles, descriptions and bullet points for web shops and marketplaces, optimised for search and conversion."),
        new("Marketing Campaign Design", "creative", "Plans email, social and paid-search campaigns: audience, offer, creative concepts, calendar and performance measurement."),
        new("Inventory Management", "operational", "Keeps stock at the right level across warehouses and stores: reorder points, safety stock, stock counts and slow-moving inventory."),
        new("Appointment Scheduling", "operational", "Books, reschedules and confirms patient appointments across providers and rooms, manages waitlists and sends reminders to reduce no-shows."),
        new("Workflow Automation", "operational", "Automates repetitive back-office work: routing documents, filling forms, triggering approvals and reconciling records between systems."),
    ];

    public static IReadOnlyList<SeedJobRole> JobRoles { get; } =
    [
        new("Fraud Analyst", "Financial Services", "mid", "Investigates suspicious card and account activity, tunes fraud rules and resolves chargeback disputes for a bank or payment provider.", ["Fraud Detection", "SQL and Data Modeling", "Report Writing"]),
        new("Compliance Officer", "Financial Services", "senior", "Runs the anti-money-laundering programme: customer due diligence, transaction monitoring reviews and regulatory reporting.", ["KYC and AML Compliance", "Financial Risk Analysis", "Report Writing"]),
        new("Credit Risk Modeler", "Financial Services", "senior", "Builds and validates credit scoring and default models for lending portfolios and explains them to risk committees.", ["Financial Risk Analysis", "Machine Learning Modeling", "Python Data Engineering"]),
        new("Banking Support Agent", "Financial Services", "junior", "Helps bank customers with accounts, cards and payments by chat, verifying identity before any change.", ["Customer Support Conversation", "KYC and AML Compliance"]),
        new("Medical Coder", "Healthcare", "mid", "Reads clinical documentation and assigns diagnosis and procedure codes so that hospital and clinic claims are billed correctly.", ["Medical Coding", "Clinical Documentation"]),
        new("Claims Processor", "Healthcare", "mid", "Reviews and adjudicates health insurance claims, checks codes and coverage, and automates routine approvals and denials.", ["Insurance Claims Processing", "Medical Coding", "Workflow Automation"]),
        new("Patient Scheduler", "Healthcare", "junior", "Schedules patient visits, answers questions about appointments and keeps provider calendars full.", ["Appointment Scheduling", "Customer Support Conversation"]),
        new("Demand Planner", "Retail & E-commerce", "senior", "Forecasts demand and plans replenishment so that stores and warehouses hold the right stock for each season and promotion.", ["Demand Forecasting", "Inventory Management", "SQL and Data Modeling"]),
        new("E-commerce Copywriter", "Retail & E-commerce", "mid", "Writes product pages and campaign copy for an online store, in the brand's voice and tuned for search.", ["Product Copywriting", "Marketing Campaign Design"]),
        new("Customer Insights Analyst", "Retail & E-commerce", "lead", "Leads analysis of shopper behaviour, loyalty and churn, and turns it into recommendations for merchandising and marketing.", ["Customer Analytics", "SQL and Data Modeling", "Python Data Engineering", "Report Writing"]),
    ];

    public static IReadOnlyList<SeedTeam> Teams { get; } =
    [
        new("Fraud Response Team", "Fraud Analyst", "Round-the-clock fraud analysts who triage payment alerts, block compromised cards and work chargeback cases."),
        new("AML Compliance Desk", "Compliance Officer", "Compliance officers who review transaction-monitoring alerts, refresh customer due diligence and file suspicious activity reports."),
        new("Revenue Cycle Coding Team", "Medical Coder", "Medical coders who code inpatient and outpatient encounters and answer payer coding queries for a hospital's revenue cycle."),
        new("Claims Operations Team", "Claims Processor", "Claims processors who clear the daily claims queue, handle appeals and automate straightforward adjudications."),
        new("Merchandise Planning Team", "Demand Planner", "Demand planners who forecast seasonal demand and set replenishment plans for stores and fulfilment centres."),
        new("Storefront Content Studio", "E-commerce Copywriter", "Copywriters who produce product descriptions, landing pages and campaign emails for a growing online store."),
    ];

    public static IReadOnlyList<SeedAgent> Agents { get; } =
    [
        // Fraud Analyst
        new("Sentinel", "Fraud Analyst", "Fraud Response Team", "available", 85.00m, "Monitors card-not-present payments in real time and flags unusual spending velocity and geography.", ["Machine Learning Modeling"]),
        new("Chargeback Clara", "Fraud Analyst", "Fraud Response Team", "busy", 78.50m, "Assembles evidence for chargeback disputes and represents merchants against friendly fraud claims.", []),
        new("Mule Hunter", "Fraud Analyst", "Fraud Response Team", "available", 92.00m, "Traces money-mule networks across accounts by linking devices, beneficiaries and transfer chains.", ["Python Data Engineering"]),
        new("Takeover Guard", "Fraud Analyst", null, "available", 74.00m, "Detects account takeover from login anomalies, password resets and new-device payments.", []),
        new("Rule Tuner", "Fraud Analyst", null, "unavailable", 88.00m, "Reviews false positives and tunes fraud rule thresholds to cut declined genuine payments.", ["Machine Learning Modeling"]),
        // Compliance Officer
        new("Ledger Watch", "Compliance Officer", "AML Compliance Desk", "available", 110.00m, "Reviews transaction-monitoring alerts for structuring, rapid movement of funds and high-risk jurisdictions.", []),
        new("Due Diligence Dana", "Compliance Officer", "AML Compliance Desk", "available", 105.00m, "Performs enhanced due diligence on high-risk customers, beneficial owners and politically exposed persons.", []),
        new("SAR Scribe", "Compliance Officer", "AML Compliance Desk", "busy", 115.00m, "Drafts suspicious activity reports with a clear narrative of who, what, when and why.", []),
        new("Sanctions Screen", "Compliance Officer", null, "available", 98.00m, "Screens customers and payments against sanctions lists and resolves name-match alerts.", ["API Integration"]),
        new("Policy Keeper", "Compliance Officer", null, "available", 120.00m, "Maps new regulations to internal policies and controls and prepares evidence for audits.", []),
        // Credit Risk Modeler
        new("Scorecard Sage", "Credit Risk Modeler", null, "available", 140.00m, "Builds application and behavioural credit scorecards for consumer loans and credit cards.", ["SQL and Data Modeling"]),
        new("Default Oracle", "Credit Risk Modeler", null, "busy", 150.00m, "Estimates probability of default and expected loss for commercial lending portfolios.", []),
        new("Stress Tester", "Credit Risk Modeler", null, "available", 135.00m, "Runs macroeconomic stress scenarios on loan books and reports capital impact.", ["Report Writing"]),
        new("Model Validator", "Credit Risk Modeler", null, "available", 145.00m, "Independently validates credit models: back-testing, stability and fairness checks.", ["Report Writing"]),
        new("Limit Setter", "Credit Risk Modeler", null, "unavailable", 130.00m, "Recommends credit limits and pricing from risk-adjusted return on each customer segment.", []),
        // Banking Support Agent
        new("Teller Tess", "Banking Support Agent", null, "available", 28.00m, "Answers everyday banking questions about balances, transfers and standing orders, day and night.", []),
        new("Card Care", "Banking Support Agent", null, "available", 30.00m, "Freezes lost or stolen cards, orders replacements and explains disputed card transactions.", ["Fraud Detection"]),
        new("Onboarding Olivia", "Banking Support Agent", null, "busy", 32.00m, "Guides new customers through account opening and identity verification step by step.", []),
        new("Mortgage Helper", "Banking Support Agent", null, "available", 35.00m, "Explains mortgage repayments, overpayments and rate options in plain language.", []),
        new("Payments Pal", "Banking Support Agent", null, "available", 27.50m, "Tracks missing payments and international transfers and explains fees and exchange rates.", []),
        // Medical Coder
        new("Code Clinic", "Medical Coder", "Revenue Cycle Coding Team", "available", 65.00m, "Codes outpatient clinic visits with ICD-10-CM and CPT evaluation and management codes.", []),
        new("Inpatient Ivy", "Medical Coder", "Revenue Cycle Coding Team", "busy", 72.00m, "Codes inpatient stays, assigns DRGs and queries physicians when documentation is unclear.", []),
        new("Radiology Coder", "Medical Coder", "Revenue Cycle Coding Team", "available", 68.00m, "Codes imaging studies such as CT, MRI and ultrasound with the right modifiers.", []),
        new("Surgical Coder", "Medical Coder", null, "available", 75.00m, "Codes operative reports for surgical procedures, including bundling and modifier rules.", []),
        new("Audit Coder", "Medical Coder", null, "unavailable", 80.00m, "Audits coded charts for accuracy and compliance before claims go to payers.", ["Report Writing"]),
        // Claims Processor
        new("Claim Clearer", "Claims Processor", "Claims Operations Team", "available", 55.00m, "Clears routine health claims by checking eligibility, benefits and coding against the policy.", []),
        new("Appeals Ally", "Claims Processor", "Claims Operations Team", "available", 60.00m, "Handles denied-claim appeals, gathers medical necessity evidence and drafts responses.", ["Clinical Documentation"]),
        new("Prior Auth Pro", "Claims Processor", "Claims Operations Team", "busy", 62.00m, "Processes prior authorisation requests for procedures, imaging and specialty drugs.", []),
        new("Duplicate Detector", "Claims Processor", null, "available", 58.00m, "Finds duplicate and overlapping claims and billing errors before payment.", ["Fraud Detection"]),
        new("EOB Explainer", "Claims Processor", null, "available", 50.00m, "Explains explanation-of-benefits statements, copays and deductibles to members.", ["Customer Support Conversation"]),
        // Patient Scheduler
        new("Front Desk Fiona", "Patient Scheduler", null, "available", 25.00m, "Books and reschedules primary care appointments and sends reminders by text and email.", []),
        new("Specialist Booker", "Patient Scheduler", null, "available", 29.00m, "Coordinates referrals and books specialist consultations across hospital departments.", []),
        new("Waitlist Manager", "Patient Scheduler", null, "busy", 26.00m, "Fills cancelled slots from the waitlist so patients are seen sooner.", ["Workflow Automation"]),
        new("Telehealth Host", "Patient Scheduler", null, "available", 27.00m, "Sets up video visits and helps patients test their connection before the appointment.", []),
        new("Reminder Robin", "Patient Scheduler", null, "unavailable", 22.00m, "Confirms upcoming appointments and cuts no-shows with timely reminders.", []),
        // Demand Planner
        new("Forecast Fox", "Demand Planner", "Merchandise Planning Team", "available", 95.00m, "Forecasts weekly demand per store and SKU with seasonality and promotion effects.", ["Python Data Engineering"]),
        new("Replenish Rex", "Demand Planner", "Merchandise Planning Team", "available", 90.00m, "Sets reorder points and safety stock and places replenishment orders with suppliers.", []),
        new("Holiday Planner", "Demand Planner", "Merchandise Planning Team", "busy", 98.00m, "Plans stock for peak seasons such as Black Friday and the holidays.", []),
        new("Markdown Max", "Demand Planner", null, "available", 88.00m, "Clears slow-moving and end-of-season inventory with markdown plans that protect margin.", ["Customer Analytics"]),
        new("Allocation Ace", "Demand Planner", null, "available", 92.00m, "Allocates new collections across stores and fulfilment centres by expected sell-through.", []),
        // E-commerce Copywriter
        new("Listing Lark", "E-commerce Copywriter", "Storefront Content Studio", "available", 45.00m, "Writes marketplace product listings with keyword-rich titles and clear bullet points.", []),
        new("Brand Voice", "E-commerce Copywriter", "Storefront Content Studio", "available", 55.00m, "Keeps every product page and email in the brand's tone of voice.", []),
        new("Email Muse", "E-commerce Copywriter", "Storefront Content Studio", "busy", 50.00m, "Writes promotional emails and abandoned-cart sequences that bring shoppers back.", ["Customer Analytics"]),
        new("SEO Scribe", "E-commerce Copywriter", null, "available", 48.00m, "Optimises category and product pages for search engines without losing readability.", []),
        new("Launch Writer", "E-commerce Copywriter", null, "unavailable", 52.00m, "Writes launch pages and social posts for new product drops.", []),
        // Customer Insights Analyst
        new("Basket Analyst", "Customer Insights Analyst", null, "available", 100.00m, "Analyses shopping baskets to find products bought together and cross-sell opportunities.", []),
        new("Churn Watcher", "Customer Insights Analyst", null, "available", 105.00m, "Predicts which loyalty members are about to lapse and why.", ["Machine Learning Modeling"]),
        new("Segment Scout", "Customer Insights Analyst", null, "busy", 98.00m, "Builds customer segments from purchase history for targeted marketing.", ["Marketing Campaign Design"]),
        new("Experiment Lead", "Customer Insights Analyst", null, "available", 110.00m, "Designs and reads A/B tests on pricing, promotions and site changes.", []),
        new("Loyalty Lens", "Customer Insights Analyst", null, "available", 102.00m, "Measures customer lifetime value and the return on loyalty programme rewards.", ["API Integration"]),
    ];
}
